import { expect, test } from "bun:test";
import { Bus, RecordingLine } from "../bus.ts";
import { GuestMemory } from "../memory.ts";
import { attachVirtioMmio, cmdlineFor } from "./attach.ts";
import { REG, VIRTIO_MMIO_MAGIC } from "./mmio.ts";
import { VirtioRng } from "./rng.ts";
import { keyboardProfile, VirtioInput } from "./input.ts";

test("devices get consecutive windows and IRQs, reachable through the bus, announced on the command line", () => {
  const bus = new Bus("mmio");
  const lines = new Map<number, RecordingLine>();
  const attached = attachVirtioMmio(bus, new GuestMemory([{ gpa: 0, bytes: new Uint8Array(4096) }]), [new VirtioRng(), new VirtioInput(keyboardProfile())], {
    line: (irq) => lines.set(irq, new RecordingLine()).get(irq)!,
  });
  expect(cmdlineFor(attached)).toEqual(["virtio_mmio.device=4K@0xd0000000:5", "virtio_mmio.device=4K@0xd0001000:6"]);
  expect([...lines.keys()]).toEqual([5, 6]);
  const word = (addr: number) => {
    const b = new Uint8Array(4);
    expect(bus.read(addr, b)).toBe(true);
    return new DataView(b.buffer).getUint32(0, true);
  };
  expect(word(0xd000_0000 + REG.MAGIC)).toBe(VIRTIO_MMIO_MAGIC);
  expect(word(0xd000_0000 + REG.DEVICE_ID)).toBe(4);
  expect(word(0xd000_1000 + REG.DEVICE_ID)).toBe(18);
});
