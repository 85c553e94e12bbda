// Integration: `tsos run --backend kvm --display` as a user runs it — the real kernel on
// our KVM launcher, its simple-framebuffer served by the launcher's own display broker.
//   1. the VNC password file is 0600 and the real gvnccapture client gets a frame of the
//      requested size showing the framebuffer memory (the launcher's boot background: this
//      kernel has no fbcon, and on emulation-grade KVM the guest dies before the wm runs)
//   2. the kernel's sysfb turns our screen_info into simple-framebuffer at the layout's
//      address and simplefb registers fb0 (serial, through our 8250)
//   3. the web viewer serves the noVNC page behind its token; both listeners close when the VM stops
//   4. a key typed through VNC reaches the guest's virtio-input event queue (the VM
//      process's per-device count of events written into buffers the guest posted)
// Prints how far the boot got and the times it measured.
import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { kvmUnavailable } from "../host-launcher/backends/kvm/kvm.ts";
import { FRAMEBUFFER_BASE } from "../host-launcher/boot/x86_64/layout.ts";
import { framebufferFor } from "../host-launcher/boot/x86_64/screeninfo.ts";
import { RawPeer, rfbHandshake } from "../host-launcher/display/test-support.ts";
import { BOOT_BACKGROUND } from "../host-launcher/vmm/screen.ts";
import { hasGvnccapture, readPng, vncCapture } from "./lib/vnc.ts";

const root = resolve(import.meta.dir, "..");
const tsos = join(root, "host-launcher/bin/tsos");
const image = join(root, "build/image");
const skipWhy = kvmUnavailable() ?? (!hasGvnccapture() ? "gvnccapture missing (Debian package gvncviewer)" : !existsSync(join(image, "vmlinux")) ? "build/image/vmlinux missing (make image)" : undefined);
if (skipWhy) console.log(`native display test SKIPPED: ${skipWhy}`);
const state = mkdtempSync(join(tmpdir(), "tsos-state-"));
const [W, H] = [640, 480];
/**
 * Emulation-grade KVM reaches the framebuffer and input drivers (device initcalls, just before
 * `Run /init`) in ~45-60 s on a quiet build machine and 2-4x later when its 2 cores are shared.
 */
const BOOT_BUDGET_MS = 240_000;
const FB_LINE = /simple-framebuffer simple-framebuffer\.0: framebuffer at 0xe0000000, 0x[0-9a-f]+ bytes/;
const FB0_LINE = /fb0: simplefb registered!/;
const KEYBOARD_LINE = /input: tsos keyboard as /;
const XK_A = 0x61;

afterAll(() => rmSync(state, { recursive: true, force: true }));

test.skipIf(!!skipWhy)("tsos run --backend kvm --display: simplefb on the broker's VNC, a VNC key reaches virtio-input", async () => {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const run = Bun.spawn([tsos, "run", "--backend", "kvm", "--headless", "--display", "--resolution", `${W}x${H}`, "--memory", "128", "--name", "natdisp"], { env: { ...process.env, XDG_STATE_HOME: state }, stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  let stderr = "";
  const drained = (async () => {
    for await (const c of run.stderr) stderr += Buffer.from(c).toString();
  })();
  const vmDir = join(state, "tsos/vms/natdisp");
  const serial = () => (existsSync(join(vmDir, "serial.log")) ? readFileSync(join(vmDir, "serial.log"), "utf8") : "");
  const waitFor = async (what: string, ok: () => boolean) => {
    while (!ok()) {
      if (run.exitCode !== null || ms() > BOOT_BUDGET_MS) throw new Error(`no ${what} after ${ms()} ms (VM ${run.exitCode === null ? "still running" : `exited ${run.exitCode}`}); last serial line: ${serial().trim().split("\n").pop()}\n${stderr}`);
      await Bun.sleep(100);
    }
    return ms();
  };
  try {
    await waitFor("VNC line", () => /desktop: VNC on 127\.0\.0\.1:(\d+)/.test(stderr));
    const port = Number(/desktop: VNC on 127\.0\.0\.1:(\d+)/.exec(stderr)![1]);
    const pwFile = join(vmDir, "vnc-password");
    expect((statSync(pwFile).mode & 0o777).toString(8)).toBe("600");
    const password = readFileSync(pwFile, "utf8").trim();

    // The web viewer: the noVNC page behind its URL token, nothing without it.
    const webUrl = /desktop: web viewer (http:\/\/127\.0\.0\.1:\d+\/[\w-]+\/)/.exec(stderr)?.[1];
    expect(webUrl).toBeDefined();
    expect((await fetch(webUrl!)).status).toBe(200);
    expect((await fetch(new URL("/", webUrl!))).status).toBe(403);

    const shot = join(state, "shot.png");
    await vncCapture(port - 5900, password, shot);
    const firstFrameMs = ms();
    const img = readPng(shot);
    expect([img.width, img.height]).toEqual([W, H]);
    for (const [x, y] of [[0, 0], [W - 1, H - 1], [W >> 1, H >> 1]]) expect(img.rgb(x!, y!)).toBe(BOOT_BACKGROUND);

    const kbdMs = await waitFor("virtio keyboard registration on serial", () => KEYBOARD_LINE.test(serial()));
    const fbMs = await waitFor("simplefb registration on serial", () => FB0_LINE.test(serial()));
    expect(serial()).toMatch(FB_LINE);
    const fbEnd = (FRAMEBUFFER_BASE + framebufferFor(FRAMEBUFFER_BASE, W, H).size - 1).toString(16).padStart(16, "0");
    expect(serial()).toContain(`BIOS-e820: [mem 0x00000000e0000000-0x${fbEnd}] reserved`);

    // A key press and release as any VNC client sends them (RFB KeyEvent), after VNC auth.
    const peer = await RawPeer.connect(port);
    expect(await rfbHandshake(peer, password)).toEqual({ w: W, h: H });
    for (const down of [1, 0]) peer.send(Uint8Array.of(4, down, 0, 0, 0, 0, XK_A >> 8, XK_A & 0xff));
    await Bun.sleep(1000);
    peer.close();
    run.kill("SIGTERM");
    await run.exited;
    await drained;
    // Press + SYN, release + SYN, written into buffers the guest's virtio_input driver posted.
    const m = /input: keyboard delivered (\d+), dropped (\d+)/.exec(stderr);
    expect(m?.slice(1)).toEqual(["4", "0"]);
    // A clean stop closed the VNC and web listeners.
    expect(await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } }).then((c) => (c.end(), "open"), () => "closed")).toBe("closed");
    expect(await fetch(webUrl!).then(() => "open", () => "closed")).toBe("closed");
    const last = serial().trim().split("\n").pop();
    for (const re of [FB_LINE, FB0_LINE, KEYBOARD_LINE, /input: tsos tablet as /]) console.log(`native display: serial: ${serial().split("\n").find((l) => re.test(l))?.trim()}`);
    console.log(`native display: VM process: ${/input: keyboard.*/.exec(stderr)?.[0]}`);
    console.log(`native display: first VNC frame ${firstFrameMs} ms, fb0 registered ${fbMs} ms, keyboard ${kbdMs} ms after spawn; stopped at ${ms()} ms; last serial line: ${last}`);
  } finally {
    // SIGTERM: tsos run passes it on to the VM process (a SIGKILL would orphan that one).
    run.kill("SIGTERM");
    await Promise.race([run.exited, Bun.sleep(5000)]);
    run.kill("SIGKILL");
  }
}, BOOT_BUDGET_MS + 30_000);
