/*
 * The baseline for `make bench-boot`: the smallest useful init. It reports the
 * same things tsos init does (ms since kernel start, memory in use) and resets.
 */
#include <stdio.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <time.h>
#include <unistd.h>

int main(void) {
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	long ms = ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	long total = 0, avail = 0;
	char line[128];
	mount("proc", "/proc", "proc", 0, NULL);
	FILE *f = fopen("/proc/meminfo", "r");
	while (f && fgets(line, sizeof line, f)) {
		sscanf(line, "MemTotal: %ld kB", &total);
		sscanf(line, "MemAvailable: %ld kB", &avail);
	}
	printf("tiny: hello t=%ld memUsedKiB=%ld\n", ms, total - avail);
	fflush(stdout);
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}
