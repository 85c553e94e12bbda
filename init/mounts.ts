// Early mounts. The trampoline already mounted /proc, /sys and /dev; the rest of
// the runtime filesystems are init's. Failures are logged, never fatal.
import { existsSync, mkdirSync } from "node:fs";
import { mount } from "../lib/ffi/libc.ts";

const MS_NOSUID = 2;
const MS_NODEV = 4;
const MS_NOEXEC = 8;

export interface MountSpec {
  source: string;
  target: string;
  type: string;
  flags: number;
  data?: string;
}

export const EARLY_MOUNTS: MountSpec[] = [
  { source: "devpts", target: "/dev/pts", type: "devpts", flags: MS_NOSUID | MS_NOEXEC, data: "ptmxmode=0666,mode=0620,gid=5" },
  { source: "tmpfs", target: "/dev/shm", type: "tmpfs", flags: MS_NOSUID | MS_NODEV, data: "mode=1777" },
  { source: "tmpfs", target: "/run", type: "tmpfs", flags: MS_NOSUID | MS_NODEV, data: "mode=0755" },
  { source: "tmpfs", target: "/tmp", type: "tmpfs", flags: MS_NOSUID | MS_NODEV, data: "mode=1777" },
  { source: "tmpfs", target: "/var", type: "tmpfs", flags: MS_NOSUID | MS_NODEV, data: "mode=0755" },
  { source: "cgroup2", target: "/sys/fs/cgroup", type: "cgroup2", flags: MS_NOSUID | MS_NODEV | MS_NOEXEC },
];

export function mountAll(specs: MountSpec[], onError: (msg: string) => void): void {
  for (const m of specs) {
    try {
      // Targets on the read-only root must exist in the image; under tmpfs we create them.
      if (!existsSync(m.target)) mkdirSync(m.target, { recursive: true });
      mount(m.source, m.target, m.type, m.flags, m.data);
    } catch (e) {
      onError(`mount ${m.target} (${m.type}): ${(e as Error).message}`);
    }
  }
}

export { MS_NOSUID, MS_NODEV, MS_NOEXEC };
