// sshd's vsock listener: the way into a VM from its host without a network
// (the native launcher's vsock device, or Firecracker-style hosts). Bun has no
// AF_VSOCK, so the socket is made through libc; each accepted connection
// becomes a Duplex handed to the same ssh2 Server as TCP connections, so auth,
// limits and logging are one code path.
import { acceptNonBlocking, AF_VSOCK, bind, closeFd, listen, socket, SOCK_NONBLOCK, SOCK_STREAM, VMADDR_CID_ANY } from "../../lib/ffi/libc.ts";
import { FdStream } from "../../lib/net/fd-stream.ts";
import { sockaddrVm, sockaddrVmParts } from "../../lib/net/sockaddr.ts";

/** How often the non-blocking listener is polled: the added latency of a new vsock connection. */
const ACCEPT_EVERY_MS = 50;
const EAFNOSUPPORT = 97;

export interface VsockListener {
  close(): void;
}

/**
 * Listen on vsock `port` (any CID). Returns the listener, or a one-line reason
 * when this kernel cannot (no AF_VSOCK) — the caller logs it and carries on with TCP.
 */
export function listenVsock(port: number, onConnection: (s: FdStream) => void, log: (m: string) => void): VsockListener | string {
  let fd: number;
  try {
    fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_NONBLOCK, 0);
  } catch (e) {
    const err = e as Error & { errno?: number };
    return err.errno === EAFNOSUPPORT ? "this kernel has no vsock support (AF_VSOCK unavailable)" : err.message;
  }
  try {
    bind(fd, sockaddrVm(VMADDR_CID_ANY, port));
    listen(fd, 64);
  } catch (e) {
    closeFd(fd);
    return (e as Error).message;
  }
  // Bun cannot watch a foreign listening fd, so accept on a short timer: one
  // non-blocking accept4 per tick, draining the backlog when there is one.
  const timer = setInterval(() => {
    for (;;) {
      let got;
      try {
        got = acceptNonBlocking(fd);
      } catch (e) {
        log(`vsock accept: ${(e as Error).message}`);
        return;
      }
      if (!got) return;
      const peer = sockaddrVmParts(got.peer);
      onConnection(new FdStream(got.fd, `vsock:${peer?.cid ?? "?"}`));
    }
  }, ACCEPT_EVERY_MS);
  return {
    close() {
      clearInterval(timer);
      closeFd(fd);
    },
  };
}
