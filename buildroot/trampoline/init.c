/*
 * /init: the only userspace code that is not TypeScript.
 * Bun locates its embedded program through /proc/self/exe and aborts without
 * /proc, so PID 1 starts here: mount the kernel filesystems Bun needs, then
 * become `tsbox init`. Everything else (devpts, tmpfs, cgroups) is init's job.
 */
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static void say(const char *a, const char *b) {
	write(2, "tsos-trampoline: ", 17);
	write(2, a, strlen(a));
	write(2, b, strlen(b));
	write(2, "\n", 1);
}

static void mnt(const char *src, const char *dir, const char *type) {
	if (mount(src, dir, type, MS_NOSUID | MS_NOEXEC, NULL) != 0 && errno != EBUSY)
		say("mount failed: ", dir);
}

int main(void) {
	mnt("proc", "/proc", "proc");
	mnt("sysfs", "/sys", "sysfs");
	if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755") != 0 && errno != EBUSY)
		say("mount failed: ", "/dev");
	char *const args[] = {"init", NULL};
	char *const env[] = {"PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/root", "TERM=linux", NULL};
	execve("/bin/tsbox", args, env);
	say("cannot exec /bin/tsbox: ", strerror(errno));
	return 127; /* the kernel panics with "Attempted to kill init! exitcode=0x00007f00" */
}
