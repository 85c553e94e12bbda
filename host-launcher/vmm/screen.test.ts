// The framebuffer the broker serves IS guest memory: a real KVM guest (a hand-assembled
// 32-bit payload) paints a rectangle at the framebuffer's guest-physical address through
// VmScreen's memory slot, and the real gvnccapture client sees exactly that rectangle
// through the display broker; nothing copies the screen in between.
import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MAP, mmap, munmap, PROT } from "../../lib/ffi/libc.ts";
import { hasGvnccapture, readPng, vncCapture } from "../../ci/lib/vnc.ts";
import type { Segment } from "../backends/hypervisor.ts";
import { KvmHypervisor, kvmUnavailable } from "../backends/kvm/kvm.ts";
import { startDisplay } from "../display/start.ts";
import { freeVncDisplay } from "../vm/ports.ts";
import { newVncPassword } from "../vm/secrets.ts";
import { inputDriver } from "../devices/testing/input-driver.ts";
import { ABS_X, ABS_Y, BTN, EV, REL_WHEEL, SYN_REPORT } from "../devices/virtio/input.ts";
import { KEY } from "../display/input.ts";
import { BOOT_BACKGROUND, parseResolution, VmScreen } from "./screen.ts";

const noKvm = kvmUnavailable();
const skipWhy = noKvm ?? (hasGvnccapture() ? undefined : "gvnccapture missing (Debian package gvncviewer)");
if (skipWhy) console.log(`vmm/screen KVM framebuffer test SKIPPED: ${skipWhy}`);

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const CODE_ADDR = 0x1000;
const RECT = { x: 40, y: 10, w: 32, h: 20, rgb: 0xff8800 };

/** 32-bit flat code: paint RECT (XRGB8888) into the framebuffer at `base` with `stride`, then HLT. */
function paintPayload(base: number, stride: number): Uint8Array {
  return new Uint8Array([
    0xbf, ...le32(base + RECT.y * stride + RECT.x * 4), // mov edi, first pixel
    0xb8, ...le32(RECT.rgb), //                             mov eax, colour
    0xba, ...le32(RECT.h), //                               mov edx, rows
    0xb9, ...le32(RECT.w), //                               row: mov ecx, width
    0xf3, 0xab, //                                          rep stosd
    0x81, 0xc7, ...le32(stride - RECT.w * 4), //            add edi, to the next row
    0x4a, //                                                dec edx
    0x75, 0xf0, //                                          jnz row
    0xf4, //                                                hlt
  ]);
}

function flat(type: number, selector: number): Segment {
  return { base: 0n, limit: 0xffff_ffff, selector, type, present: true, dpl: 0, db: true, s: true, l: false, g: true, avl: false, unusable: false };
}

test("--resolution parsing", () => {
  expect(parseResolution("800x600")).toEqual({ width: 800, height: 600 });
  for (const bad of ["800", "80x60", "99999x600", "800x600x2", "9000x600"]) expect(parseResolution(bad)).toBeUndefined();
});

test("the broker's input reaches the virtio keyboard and tablet: RFB buttons, wheel clicks on press only", () => {
  const screen = VmScreen.create({ width: 320, height: 200 });
  try {
    const kbd = inputDriver(screen.keyboard);
    const tab = inputDriver(screen.tablet);
    kbd.post(4);
    tab.post(16);
    screen.key(KEY.ENTER, true);
    screen.key(KEY.ENTER, false);
    screen.pointer(100, 200, 1 | 8); // left held, wheel up pressed
    screen.pointer(100, 200, 1 | 8); // still held: no second click
    const syn = { type: EV.SYN, code: SYN_REPORT, value: 0 };
    expect(kbd.events()).toEqual([{ type: EV.KEY, code: KEY.ENTER, value: 1 }, syn, { type: EV.KEY, code: KEY.ENTER, value: 0 }, syn]);
    const move = [{ type: EV.ABS, code: ABS_X, value: 100 }, { type: EV.ABS, code: ABS_Y, value: 200 }, { type: EV.KEY, code: BTN.LEFT, value: 1 }, { type: EV.KEY, code: BTN.RIGHT, value: 0 }, { type: EV.KEY, code: BTN.MIDDLE, value: 0 }, syn];
    expect(tab.events()).toEqual([...move, { type: EV.REL, code: REL_WHEEL, value: 1 }, syn, ...move]);
    expect(screen.inputSummary()).toBe("keyboard delivered 4, dropped 0; tablet delivered 14, dropped 0");
  } finally {
    munmap(screen.mapping);
  }
});

test.skipIf(!!skipWhy)("a KVM guest's stores to the framebuffer address reach a VNC client through the broker", async () => {
  const screen = VmScreen.create({ width: 320, height: 200 });
  const hv = new KvmHypervisor();
  const part = hv.createPartition({ irqchip: false });
  const mem = mmap(0x10000, PROT.READ | PROT.WRITE, MAP.PRIVATE | MAP.ANONYMOUS);
  const dir = mkdtempSync(join(tmpdir(), "tsos-screen-"));
  try {
    mem.bytes.set(paintPayload(screen.region.base, screen.region.stride), CODE_ADDR);
    part.mapMemory({ slot: 0, guestAddr: 0n, host: mem });
    screen.mapInto(part, 1);
    const vcpu = part.createVcpu(0);
    const s = vcpu.getSpecialRegs();
    s.cs = flat(0xb, 0x8);
    for (const k of ["ds", "es", "ss", "fs", "gs"] as const) s[k] = flat(0x3, 0x10);
    s.cr0 |= 1n; // protected mode, paging off: guest-physical = linear
    vcpu.setSpecialRegs(s);
    vcpu.setRegs({ ...vcpu.getRegs(), rip: BigInt(CODE_ADDR), rflags: 2n, rsp: 0xff00n });
    expect(vcpu.run().kind).toBe("halt");
    // The host's view is the guest's memory (no copy was made).
    expect(screen.framebuffer.rgb(RECT.x, RECT.y)).toBe(RECT.rgb);

    const password = newVncPassword();
    const n = await freeVncDisplay();
    const display = startDisplay({ framebuffer: screen.framebuffer, input: screen, password, vncPort: 5900 + n });
    try {
      const out = join(dir, "shot.png");
      await vncCapture(n, password, out);
      const img = readPng(out);
      expect([img.width, img.height]).toEqual([320, 200]);
      const { x, y, w, h, rgb } = RECT;
      for (const [px, py] of [[x, y], [x + w - 1, y + h - 1], [x + 10, y + 5]]) expect(img.rgb(px!, py!)).toBe(rgb);
      for (const [px, py] of [[x - 1, y], [x + w, y], [x, y + h], [0, 0], [319, 199]]) expect(img.rgb(px!, py!)).toBe(BOOT_BACKGROUND);
    } finally {
      display.close();
    }
  } finally {
    part.destroy();
    hv.close();
    munmap(mem);
    munmap(screen.mapping);
    rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
