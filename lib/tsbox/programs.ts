// The multicall table: every userspace program tsbox can become, busybox/u-root style.
// Each entry is loaded lazily so a process only evaluates its own program's code.

export type ProgramMain = (args: string[]) => Promise<number | void> | number | void;

export interface Program {
  /** Names it answers to as argv[0] (symlinks in the image) or as tsbox's first argument. */
  names: string[];
  /** Where the image puts its symlinks to /bin/tsbox. */
  links: string[];
  load: () => Promise<{ main: ProgramMain }>;
}

export const programs: Program[] = [
  { names: ["init"], links: ["/sbin/init"], load: () => import("../../init/main.ts") },
  { names: ["tsh", "sh"], links: ["/bin/tsh", "/bin/sh"], load: () => import("../../shell/main.ts") },
  { names: ["sshd"], links: ["/usr/sbin/sshd"], load: () => import("../../services/sshd/main.ts") },
  { names: ["netd"], links: ["/usr/sbin/netd"], load: () => import("../../services/netd/main.ts") },
  { names: ["poweroff"], links: ["/sbin/poweroff"], load: async () => ({ main: (await import("../../init/commands/power.ts")).poweroff }) },
  { names: ["reboot"], links: ["/sbin/reboot"], load: async () => ({ main: (await import("../../init/commands/power.ts")).reboot }) },
  { names: ["service"], links: ["/sbin/service"], load: () => import("../../init/commands/service.ts") },
  { names: ["logs"], links: ["/bin/logs"], load: () => import("../../init/commands/logs.ts") },
  { names: ["klogd"], links: [], load: () => import("../../services/klogd/main.ts") },
  { names: ["wm"], links: ["/usr/bin/wm"], load: () => import("../../wm/main.ts") },
];

export function findProgram(name: string): Program | undefined {
  return programs.find((p) => p.names.includes(name));
}
