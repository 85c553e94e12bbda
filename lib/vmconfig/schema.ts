// vm.json: the per-VM configuration the launcher hands the guest on its config
// drive. One format for QEMU and the native launcher. Unknown keys are ignored;
// a bad value is an error naming the key, and init then boots with defaults.

export interface ServiceSpec {
  name: string;
  command: string[];
  env?: Record<string, string>;
  after?: string[];
  restart?: "always" | "on-failure" | "never";
  user?: string;
  ready?: { tcp?: number; file?: string };
  /** Run on this terminal device (stdin, stdout, stderr) instead of logging its output: the serial console shell. */
  terminal?: string;
  /** Start only when this path exists (e.g. /dev/fb0 for the desktop); otherwise the service stays stopped. */
  condition?: { pathExists: string };
}

export interface VmConfig {
  hostname: string;
  /** OpenSSH authorized_keys lines for root. */
  authorizedKeys: string[];
  /** OpenSSH private host keys by type (e.g. "ed25519"), PEM/OpenSSH text. */
  hostKeys: Record<string, string>;
  /** Built-in services to enable or disable by name. */
  enable: string[];
  disable: string[];
  /** Extra services declared by the VM's owner. */
  services: ServiceSpec[];
  /** sshd options; vsock (default true) also listens on vsock port 22. */
  ssh?: { vsock?: boolean };
}

export const DEFAULT_CONFIG: VmConfig = { hostname: "tsos", authorizedKeys: [], hostKeys: {}, enable: [], disable: [], services: [] };

export type Parsed = { ok: true; config: VmConfig } | { ok: false; error: string };

const HOSTNAME = /^(?=.{1,63}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i;
const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

function strings(v: unknown, key: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) throw new Error(`${key} must be an array of strings`);
  return v;
}

function service(v: unknown, i: number): ServiceSpec {
  const o = v as Record<string, unknown>;
  const at = `services[${i}]`;
  if (!o || typeof o !== "object") throw new Error(`${at} must be an object`);
  if (typeof o.name !== "string" || !NAME.test(o.name)) throw new Error(`${at}.name must match ${NAME}`);
  const command = strings(o.command, `${at}.command`);
  if (command.length === 0) throw new Error(`${at}.command must not be empty`);
  const restart = o.restart ?? "on-failure";
  if (restart !== "always" && restart !== "on-failure" && restart !== "never") throw new Error(`${at}.restart must be always, on-failure or never`);
  const env = o.env ?? {};
  if (typeof env !== "object" || Object.values(env as object).some((x) => typeof x !== "string")) throw new Error(`${at}.env must map names to strings`);
  const ready = o.ready as ServiceSpec["ready"];
  if (ready !== undefined && (typeof ready !== "object" || (ready.tcp !== undefined && !Number.isInteger(ready.tcp)) || (ready.file !== undefined && typeof ready.file !== "string"))) {
    throw new Error(`${at}.ready must be {tcp: port} or {file: path}`);
  }
  const condition = o.condition as ServiceSpec["condition"];
  if (condition !== undefined && (typeof condition !== "object" || typeof condition.pathExists !== "string")) throw new Error(`${at}.condition must be {pathExists: path}`);
  return { name: o.name, command, env: env as Record<string, string>, after: strings(o.after, `${at}.after`), restart, user: typeof o.user === "string" ? o.user : undefined, ready, ...(condition ? { condition } : {}) };
}

export function parseVmConfig(text: string): Parsed {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (!o || typeof o !== "object" || Array.isArray(o)) throw new Error("vm.json must be a JSON object");
    const hostname = o.hostname ?? DEFAULT_CONFIG.hostname;
    if (typeof hostname !== "string" || !HOSTNAME.test(hostname)) throw new Error("hostname must be 1-63 letters, digits or '-'");
    const hostKeys = o.hostKeys ?? {};
    if (typeof hostKeys !== "object" || Object.values(hostKeys as object).some((x) => typeof x !== "string")) throw new Error("hostKeys must map key types to strings");
    if (o.services !== undefined && !Array.isArray(o.services)) throw new Error("services must be an array");
    const ssh = o.ssh as VmConfig["ssh"];
    if (ssh !== undefined && (typeof ssh !== "object" || ssh === null || (ssh.vsock !== undefined && typeof ssh.vsock !== "boolean"))) throw new Error("ssh must be {vsock: true|false}");
    return {
      ok: true,
      config: {
        hostname,
        authorizedKeys: strings(o.authorizedKeys, "authorizedKeys"),
        hostKeys: hostKeys as Record<string, string>,
        enable: strings(o.enable, "enable"),
        disable: strings(o.disable, "disable"),
        services: ((o.services as unknown[]) ?? []).map(service),
        ...(ssh ? { ssh } : {}),
      },
    };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
