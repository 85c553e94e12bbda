// Run a command in the guest over the control channel and collect its output
// and exit status (the VM tests' one way to do it).
import type { ControlClient } from "../../lib/control/client.ts";
import type { StreamEvent } from "../../lib/control/protocol.ts";

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  signal?: string | null;
}

export async function guestExec(ctl: ControlClient, argv: string[], opts: { env?: Record<string, string>; stdin?: Uint8Array; trace?: string } = {}): Promise<ExecResult> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let done!: (e: StreamEvent) => void;
  const exited = new Promise<StreamEvent>((r) => (done = r));
  const { id, reply } = ctl.request("exec", { argv, env: opts.env }, (e) => {
    if (e.event === "stdout") out.push(Buffer.from(e.data!, "base64"));
    else if (e.event === "stderr") err.push(Buffer.from(e.data!, "base64"));
    else if (e.event === "exit") done(e);
  }, opts.trace);
  await reply;
  if (opts.stdin) {
    for (let off = 0; off < opts.stdin.length; off += 48 * 1024) {
      ctl.notify("exec.stdin", { ref: id, data: Buffer.from(opts.stdin.subarray(off, off + 48 * 1024)).toString("base64") });
    }
    ctl.notify("exec.stdin", { ref: id, eof: true });
  }
  const exit = await exited;
  return { stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString(), code: exit.code ?? null, signal: exit.signal };
}

/** tsh -c SCRIPT in the guest: stdout as text, stderr and status. */
export async function guestSh(ctl: ControlClient, script: string): Promise<{ out: string; err: string; code: number | null }> {
  const r = await guestExec(ctl, ["/bin/tsh", "-c", script]);
  return { out: r.stdout.toString(), err: r.stderr, code: r.code };
}
