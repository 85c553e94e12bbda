// The built-in service table. A service is a tsbox program run by init; vm.json
// on the config drive can enable/disable these by name and add its own.
import type { ServiceSpec } from "../lib/vmconfig/schema.ts";

export interface BuiltinService extends ServiceSpec {
  description: string;
  /** Off until its program is built (sshd, netd) or unless vm.json enables it. */
  enabled: boolean;
}

export const builtinServices: BuiltinService[] = [
  {
    name: "console",
    description: "tsh on the serial console (ttyS0)",
    command: ["/bin/tsh"],
    terminal: "/dev/ttyS0",
    env: { TERM: "vt100" },
    restart: "always",
    enabled: true,
  },
  {
    name: "klogd",
    description: "kernel log (/dev/kmsg) into the structured log",
    command: ["/bin/tsbox", "klogd"],
    restart: "always",
    ready: { file: "/run/tsos/klogd.ready" },
    enabled: true,
  },
  {
    name: "netd",
    description: "links up, DHCPv4, IPv6 SLAAC, resolv.conf",
    command: ["/bin/tsbox", "netd"],
    restart: "always",
    ready: { file: "/run/tsos/netd.ready" },
    enabled: true,
  },
  {
    name: "sshd",
    description: "ssh2 server on port 22, public-key auth only",
    command: ["/bin/tsbox", "sshd"],
    after: ["netd"],
    restart: "always",
    ready: { tcp: 22 },
    enabled: true,
  },
  {
    name: "wm",
    description: "the desktop: window manager and apps on /dev/fb0",
    command: ["/bin/tsbox", "wm"],
    restart: "always",
    ready: { file: "/run/tsos/wm.ready" },
    condition: { pathExists: "/dev/fb0" },
    enabled: true,
  },
];

/** The services to run: enabled built-ins, adjusted by vm.json, plus its own. */
export function resolveServices(enable: string[], disable: string[], extra: ServiceSpec[]): ServiceSpec[] {
  const on = builtinServices.filter((s) => (s.enabled || enable.includes(s.name)) && !disable.includes(s.name));
  const names = new Set(on.map((s) => s.name));
  const added = extra.filter((s) => !names.has(s.name) && !disable.includes(s.name));
  return [...on.map(({ description: _d, enabled: _e, ...spec }) => spec), ...added];
}
