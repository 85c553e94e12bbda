// One preflight check's result: a status, what was seen, and the action to take.
export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What the user should do next; empty when nothing. */
  action: string;
}

export const check = (name: string, status: CheckStatus, detail: string, action = ""): Check => ({ name, status, detail, action });

/** "not this OS" for the checks of another platform's hypervisor: the code path exists, it just does not apply here. */
export const notThisOs = (name: string, os: string) => check(name, "skip", `not this OS (${os} only; this is ${process.platform})`);

export function formatCheck(c: Check, width: number): string {
  return `[${c.status.padStart(4)}] ${c.name.padEnd(width)}  ${c.detail}${c.action ? `  -> ${c.action}` : ""}`;
}
