// Test-only program run INSIDE the guest (bundled by ci/ssh-vsock.test.ts, run
// with BUN_BE_BUN=1): connects to vsock CID 1 (the guest itself, through the
// kernel's loopback transport) port 22 and either prints the server's
// identification line (argv "banner") or logs in with ssh2's Client using the
// private key in $KEY and runs argv[1], printing its output and exit status.
import { Client } from "ssh2";
import { AF_VSOCK, connect, socket, SOCK_STREAM, VMADDR_CID_LOCAL } from "../../lib/ffi/libc.ts";
import { FdStream } from "../../lib/net/fd-stream.ts";
import { sockaddrVm } from "../../lib/net/sockaddr.ts";

function dial(): FdStream {
  const fd = socket(AF_VSOCK, SOCK_STREAM, 0);
  connect(fd, sockaddrVm(VMADDR_CID_LOCAL, 22));
  return new FdStream(fd, "vsock:1");
}

const [mode, command] = process.argv.slice(2);
setTimeout(() => {
  console.error("timed out");
  process.exit(3);
}, 60_000).unref();
if (mode === "banner") {
  const s = dial();
  s.write("SSH-2.0-vsock_probe\r\n");
  s.on("data", (d: Buffer) => {
    process.stdout.write(d.toString("latin1").split("\n")[0] + "\n");
    process.exit(0);
  });
} else {
  const c = new Client();
  c.on("ready", () => {
    c.exec(command ?? "true", (err, ch) => {
      if (err) throw err;
      ch.on("data", (d: Buffer) => process.stdout.write(d));
      ch.on("close", (code: number) => {
        console.log(`exit=${code}`);
        c.end();
        process.exit(0);
      });
    });
  });
  c.on("error", (e) => {
    console.log(`error: ${e.message}`);
    process.exit(2);
  });
  c.connect({ sock: dial() as never, username: "root", privateKey: process.env.KEY!, hostVerifier: () => true });
}
