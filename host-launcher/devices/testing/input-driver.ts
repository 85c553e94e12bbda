// A simulated guest driver for one VirtioInput device (tests only): reads the config union
// the way virtinput_probe does, posts event buffers and reads back the events delivered.
import { RecordingLine } from "../bus.ts";
import { VirtioMmioTransport } from "../virtio/mmio.ts";
import type { InputEvent, VirtioInput } from "../virtio/input.ts";
import { SimDriver, TestGuest, type Posted } from "./driver.ts";

export function inputDriver(input: VirtioInput) {
  const guest = new TestGuest();
  const irq = new RecordingLine();
  const d = new SimDriver(guest, new VirtioMmioTransport(input, { mem: guest.mem, irq, log: () => {} }));
  d.init();
  const select = (sel: number, sub: number) => {
    d.setConfig(0, new Uint8Array([sel]));
    d.setConfig(1, new Uint8Array([sub]));
    const size = d.config(2, 1)[0]!;
    return d.config(8, size);
  };
  const posted: Posted[] = [];
  const post = (n: number) => {
    for (let i = 0; i < n; i++) posted.push(d.queue(0).add([{ writable: 8 }]));
    d.queue(0).kick();
  };
  const events = (): InputEvent[] =>
    d.queue(0).usedElems().map((u) => {
      const v = new DataView(guest.mem.read(posted.find((p) => p.head === u.id)!.buffers[0]!.addr, 8).buffer);
      return { type: v.getUint16(0, true), code: v.getUint16(2, true), value: v.getInt32(4, true) };
    });
  return { input, d, irq, select, post, events };
}
