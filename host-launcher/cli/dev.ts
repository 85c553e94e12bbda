// tsos dev: boot the image under the QEMU harness, watch the guest sources and
// hot-replace the services a change affects (see host-launcher/dev/loop.ts).
import { existsSync, readFileSync, watch } from "node:fs";
import { join, resolve } from "node:path";
import { imageGuest, QemuVm } from "../backends/qemu/vm.ts";
import { DevLoop } from "../dev/loop.ts";
import { registerVm, unregisterVm } from "../vm/registry.ts";
import { parseArgs, UsageError, type VerbSpec } from "./args.ts";

const root = resolve(import.meta.dir, "../..");
export const WATCHED = ["init", "services", "shell", "wm", "lib"];

export const devSpec: VerbSpec = {
  name: "dev",
  summary: "Boot the image and hot-replace guest services as you edit init/, services/, shell/, wm/ or lib/.",
  usage: "tsos dev [--src DIR] [--name NAME]",
  options: [
    { name: "src", help: "source tree to watch and bundle", default: "." },
    { name: "name", help: "VM name for `tsos ctl --vm`", default: "dev" },
    { name: "image", help: "image directory", default: "build/image" },
    { name: "config", help: "vm.json for the config drive", default: "" },
    { name: "quiet", help: "do not echo the guest console", default: false },
  ],
};

export async function devMain(argv: string[]): Promise<number> {
  const { opts } = parseArgs(devSpec, argv);
  const src = resolve(String(opts.src));
  const image = resolve(root, String(opts.image));
  if (!existsSync(join(image, "rootfs.erofs"))) throw new UsageError(`${image}/rootfs.erofs missing: run 'make image' first`);
  const name = String(opts.name);
  const paths = registerVm({ name, backend: "qemu", pid: process.pid, startedAt: new Date().toISOString() });
  const vm = new QemuVm({ ...imageGuest(image), withControl: true, config: opts.config ? readFileSync(String(opts.config), "utf8") : {}, logFile: paths.serial, dir: paths.dir });
  process.once("SIGINT", () => vm.kill());
  const say = (l: string) => console.log(l);
  try {
    say(`dev: booting '${name}' under QEMU...`);
    let shown = 0;
    const pumpConsole = setInterval(() => {
      if (!opts.quiet) for (; shown < vm.lines.length; shown++) say(`guest| ${vm.lines[shown]}`);
    }, 100);
    await vm.waitFor(/init: boot complete/, 180_000);
    const loop = new DevLoop(src, () => vm.control(), { print: say });
    const names = await loop.baseline();
    loop.startDiagnostics();
    let pending = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let first = 0;
    const watchers = WATCHED.filter((d) => existsSync(join(src, d))).map((d) =>
      watch(join(src, d), { recursive: true }, (_ev, file) => {
        if (!file || !/\.(ts|js|json)$/.test(String(file))) return;
        if (!pending.size) first = performance.now();
        pending.add(join(src, d, String(file)));
        clearTimeout(timer);
        timer = setTimeout(() => {
          const files = [...pending];
          pending = new Set();
          void loop.changed(files, first);
        }, 30);
      }),
    );
    // Bun adds the recursive inotify watches in the background; announce only once they are in place.
    await Bun.sleep(300);
    say(`dev: watching ${WATCHED.join("/, ")}/ under ${src}; hot-reloadable services: ${names.join(", ") || "none"}`);
    const code = await vm.exited;
    for (const w of watchers) w.close();
    clearInterval(pumpConsole);
    loop.stop();
    say(`dev: guest exited (${code})`);
    return code;
  } finally {
    await vm.dispose();
    unregisterVm(name);
  }
}
