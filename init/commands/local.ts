// Guest commands that talk to init over its local control socket.
import { connectUnix, ControlClient, ControlError } from "../../lib/control/client.ts";
import { LOCAL_SOCKET } from "../control/transports.ts";

export async function withInit<T>(fn: (c: ControlClient) => Promise<T>): Promise<T> {
  let c: ControlClient;
  try {
    c = await connectUnix(LOCAL_SOCKET, 2000);
  } catch {
    throw new ControlError("connect", `cannot reach init at ${LOCAL_SOCKET} (is this a tsos guest?)`);
  }
  try {
    return await fn(c);
  } finally {
    c.close();
  }
}

/** Run a command body; a ControlError becomes one line on stderr and status 1. */
export async function runCommand(name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}`);
    return 1;
  }
}
