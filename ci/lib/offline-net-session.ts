// Runs inside a private network namespace (ci/lib/netns.ts): this process is
// the DNS server and the web server of the guest's world. Boots the image under
// QEMU's user network, exercises name resolution, HTTP, ping, ip and a cable
// pull from inside the guest, and prints one JSON report as its last line.
import { join, resolve } from "node:path";
import { imageGuest, QemuVm } from "../../host-launcher/backends/qemu/vm.ts";
import { startDnsServer } from "./dns-server.ts";
import { guestSh } from "./guest-exec.ts";

const image = join(resolve(import.meta.dir, "../.."), "build/image");
// 10.0.2.2 is QEMU's host alias: the guest reaches this namespace's loopback through it.
const dns = await startDnsServer("127.0.0.1", 53, { "files.tsos.test": "10.0.2.2" });
const http = Bun.serve({ hostname: "127.0.0.1", port: 8080, fetch: (r) => (new URL(r.url).pathname === "/hello.txt" ? new Response("hello from the host side\n") : new Response("no", { status: 404 })) });
const vm = new QemuVm({ ...imageGuest(image), withControl: true, withQmp: true, config: { hostname: "offline" }, net: { forwards: [] }, append: ["tsos.verbose"], logFile: join(image, "../logs/offline-net.log") });
const report: Record<string, unknown> = {};
try {
  await vm.waitFor(/init: boot complete/, 120_000);
  // tsos.verbose mirrors every log entry (netd's too) to the serial console.
  await vm.waitFor(/eth0: bound 10\.0\.2\.15/, 60_000);
  const ctl = await vm.control();
  report.resolv = (await guestSh(ctl, "cat /etc/resolv.conf")).out;
  report.wget = await guestSh(ctl, "wget -q -O /tmp/hello.txt http://files.tsos.test:8080/hello.txt && cat /tmp/hello.txt");
  report.unknownName = await guestSh(ctl, "wget -q -T 5 http://nosuch.tsos.test:8080/");
  report.ping4 = await guestSh(ctl, "ping -c 2 -i 0.3 10.0.2.2");
  await vm.waitFor(/eth0: IPv6 global fd00:7e05::/, 60_000);
  report.ping6 = await guestSh(ctl, "ping -6 -c 2 -i 0.3 fd00:7e05::2");
  report.ipAddr = await guestSh(ctl, "ip -j addr show dev eth0");
  report.ipRoute = await guestSh(ctl, "ip route");
  // Pull the virtual cable and plug it back: netd must notice both and lease again.
  const qmp = await vm.qmp();
  const boundBefore = vm.lines.filter((l) => /eth0: bound /.test(l)).length;
  await qmp.execute("set_link", { name: "net0", up: false });
  report.down = await vm.waitFor(/eth0: link down/, 30_000);
  report.stateDown = JSON.parse((await guestSh(ctl, "cat /run/tsos/netd.json")).out).interfaces.eth0.carrier;
  await qmp.execute("set_link", { name: "net0", up: true });
  report.up = await vm.waitFor(/eth0: link up/, 30_000);
  const t0 = Date.now();
  while (vm.lines.filter((l) => /eth0: bound /.test(l)).length === boundBefore && Date.now() - t0 < 30_000) await Bun.sleep(200);
  report.reboundCount = vm.lines.filter((l) => /eth0: bound /.test(l)).length - boundBefore;
  report.wgetAfterFlap = await guestSh(ctl, "wget -q -O - http://files.tsos.test:8080/hello.txt");
  qmp.close();
  await ctl.call("shutdown");
  report.exit = await vm.exited;
} catch (e) {
  report.error = (e as Error).message;
} finally {
  await vm.dispose();
  dns.close();
  http.stop(true);
}
report.dnsQuestions = dns.questions;
console.log(JSON.stringify(report));
