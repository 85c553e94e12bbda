// Readiness: a service is ready when its TCP port accepts, or its ready file
// exists, or (with no check declared) as soon as it has started.
import { existsSync } from "node:fs";
import { connect } from "node:net";

export interface ReadyCheck {
  tcp?: number;
  file?: string;
}

function tcpAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

export async function probeOnce(check: ReadyCheck | undefined): Promise<boolean> {
  if (!check || (check.tcp === undefined && !check.file)) return true;
  if (check.file && !existsSync(check.file)) return false;
  if (check.tcp !== undefined && !(await tcpAccepts(check.tcp))) return false;
  return true;
}

/** Poll until ready, the deadline passes, or `gone` resolves (the process exited). */
export async function waitReady(check: ReadyCheck | undefined, timeoutMs: number, gone: Promise<unknown>): Promise<boolean> {
  let exited = false;
  void gone.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) return false;
    if (await probeOnce(check)) return !exited;
    if (Date.now() >= deadline) return false;
    await Bun.sleep(50);
  }
}
