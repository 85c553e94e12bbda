// The native VM's screen: a host buffer that IS the guest's simple-framebuffer (one KVM
// memory slot over it at the layout's framebuffer address, announced in screen_info and
// reserved in e820), and the virtio-input keyboard and tablet that the display broker's
// InputSink drives. The broker reads the same mapping the guest writes: no copy per frame.
import { MAP, mmap, PROT, type Mapping } from "../../lib/ffi/libc.ts";
import type { Partition } from "../backends/hypervisor.ts";
import { FRAMEBUFFER_BASE } from "../boot/x86_64/layout.ts";
import { framebufferFor, type Framebuffer as BootFramebuffer } from "../boot/x86_64/screeninfo.ts";
import { Framebuffer } from "../display/framebuffer.ts";
import type { InputSink } from "../display/input.ts";
import { keyboardProfile, tabletProfile, VirtioInput } from "../devices/virtio/input.ts";

export interface ScreenSize {
  width: number;
  height: number;
}

/** `--resolution WIDTHxHEIGHT`; undefined when it is not that shape or out of 320..8192. */
export function parseResolution(s: string): ScreenSize | undefined {
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(s);
  if (!m) return undefined;
  const [width, height] = [Number(m[1]), Number(m[2])];
  return width >= 320 && height >= 200 && width <= 8192 && height <= 8192 ? { width, height } : undefined;
}

/**
 * What the screen shows until the guest draws (the kernel here has no fbcon): a dark grey,
 * not black, so a viewer can tell "connected, guest not drawing yet" from "no picture".
 */
export const BOOT_BACKGROUND = 0x20_24_2c;

/** RFB button mask bits (display/input.ts InputSink.pointer). */
const BUTTON = { LEFT: 1, MIDDLE: 2, RIGHT: 4, WHEEL_UP: 8, WHEEL_DOWN: 16 } as const;

export class VmScreen implements InputSink {
  readonly keyboard = new VirtioInput(keyboardProfile());
  readonly tablet = new VirtioInput(tabletProfile());
  /** What screen_info and e820 announce: XRGB8888 at FRAMEBUFFER_BASE. */
  readonly region: BootFramebuffer;
  /** The broker's view over the mapping (the same bytes the guest sees at region.base). */
  readonly framebuffer: Framebuffer;
  private buttons = 0;

  private constructor(
    size: ScreenSize,
    readonly mapping: Mapping,
  ) {
    this.region = framebufferFor(FRAMEBUFFER_BASE, size.width, size.height);
    this.framebuffer = new Framebuffer(mapping.bytes, 0, size.width, size.height, this.region.stride);
    const px = new Uint32Array(mapping.bytes.buffer, mapping.bytes.byteOffset, this.region.stride * size.height / 4);
    px.fill(BOOT_BACKGROUND);
  }

  /** Allocates the buffer; the caller maps it into the guest with mapInto and owns its lifetime. */
  static create(size: ScreenSize): VmScreen {
    const region = framebufferFor(FRAMEBUFFER_BASE, size.width, size.height);
    return new VmScreen(size, mmap(region.size, PROT.READ | PROT.WRITE, MAP.SHARED | MAP.ANONYMOUS));
  }

  /** Make the buffer guest memory at the framebuffer address, in memory slot `slot`. */
  mapInto(part: Partition, slot: number): void {
    part.mapMemory({ slot, guestAddr: BigInt(this.region.base), host: { address: this.mapping.address, length: this.region.size } });
  }

  key(code: number, down: boolean): void {
    this.keyboard.key(code, down);
  }

  /** An RFB pointer event: absolute position, buttons, and wheel clicks on the press of bits 3/4. */
  pointer(x: number, y: number, buttons: number): void {
    const pressed = buttons & ~this.buttons;
    this.buttons = buttons;
    this.tablet.pointer(x, y, { left: !!(buttons & BUTTON.LEFT), middle: !!(buttons & BUTTON.MIDDLE), right: !!(buttons & BUTTON.RIGHT) });
    if (pressed & BUTTON.WHEEL_UP) this.tablet.wheel(1);
    if (pressed & BUTTON.WHEEL_DOWN) this.tablet.wheel(-1);
  }

  /** One line for logs and tests: how many input events reached the guest's queues. */
  inputSummary(): string {
    const d = (v: VirtioInput) => `delivered ${v.delivered}, dropped ${v.dropped}`;
    return `keyboard ${d(this.keyboard)}; tablet ${d(this.tablet)}`;
  }
}
