// Drive the UART the way Linux's 8250 driver does (drivers/tty/serial/8250/8250_port.c: autoconfig,
// serial8250_do_startup, the interrupt handler) and check it answers as a 16550A would.
import { test, expect, describe } from "bun:test";
import {
  Uart8250, IER_RDI, IER_THRI, IER_RLSI, IER_MSI, IIR_NO_INT, IIR_THRI, IIR_RDI, IIR_RLSI, IIR_MSI, FCR_ENABLE_FIFO,
  LCR_DLAB, MCR_LOOP, MCR_OUT2, MCR_RTS, MCR_DTR, LSR_DR, LSR_OE, LSR_THRE, LSR_TEMT, MSR_DCTS,
} from "./uart8250.ts";

function rig(inputCapacity?: number) {
  const out: number[] = [];
  const irqEdges: boolean[] = [];
  let level = false;
  const uart = new Uart8250({
    irq: { set: (l) => { level = l; irqEdges.push(l); } },
    output: (b) => out.push(...b),
    ...(inputCapacity !== undefined ? { inputCapacity } : {}),
  });
  const inb = (off: number) => { const d = new Uint8Array(1); uart.read(off, d); return d[0]!; };
  const outb = (off: number, v: number) => uart.write(off, Uint8Array.of(v));
  return { uart, out, irqEdges, inb, outb, irq: () => level };
}

describe("Linux autoconfig", () => {
  test("IER scratch test: writable low nibble, reads back 0 then 0x0f", () => {
    const { inb, outb } = rig();
    const saved = inb(1);
    outb(1, 0);
    expect(inb(1) & 0x0f).toBe(0);
    outb(1, 0x0f);
    expect(inb(1) & 0x0f).toBe(0x0f);
    outb(1, 0xff);
    expect(inb(1)).toBe(0x0f); // the top nibble does not exist
    outb(1, saved);
  });

  test("loopback safety check: MCR = LOOP|0x0A gives MSR high nibble 0x90", () => {
    const { inb, outb } = rig();
    const saveMcr = inb(4);
    outb(4, MCR_LOOP | 0x0a);
    expect(inb(6) & 0xf0).toBe(0x90);
    outb(4, saveMcr);
    expect(inb(6) & 0xf0).toBe(0xb0); // DCD, DSR, CTS of an attached terminal
  });

  test("FIFO detection: IIR bits 7:6 read 3 after FCR enables the FIFO (16550A), 0 without", () => {
    const { inb, outb } = rig();
    outb(3, 0xbf); // UART_LCR_CONF_MODE_B
    outb(2, 0); // the EFR write of a 16650 is an FCR write here
    outb(3, 0);
    expect(inb(2) >> 6).toBe(0);
    outb(2, FCR_ENABLE_FIFO);
    expect(inb(2) >> 6).toBe(3);
    // autoconfig_16550a: with DLAB set, a 16550A has no EFR; IIR reads back non-zero.
    outb(3, 0xbf);
    expect(inb(2)).not.toBe(0);
    outb(3, 0);
  });

  test("scratch register holds any byte", () => {
    const { inb, outb } = rig();
    for (const v of [0x00, 0x55, 0xaa, 0xff]) {
      outb(7, v);
      expect(inb(7)).toBe(v);
    }
  });

  test("divisor latch: DLAB exposes DLL/DLM without disturbing IER or THR", () => {
    const { inb, outb, out } = rig();
    outb(1, IER_RDI);
    outb(3, LCR_DLAB | 0x03);
    outb(0, 0x01); // 115200 baud
    outb(1, 0x00);
    expect([inb(0), inb(1)]).toEqual([0x01, 0x00]);
    outb(3, 0x03); // 8N1, DLAB off
    expect(inb(1)).toBe(IER_RDI);
    expect(out).toEqual([]); // the DLL write did not transmit
  });
});

describe("transmit", () => {
  test("THR bytes reach the output; LSR always shows THRE|TEMT", () => {
    const { inb, outb, out } = rig();
    for (const c of "hi\n") outb(0, c.charCodeAt(0));
    expect(String.fromCharCode(...out)).toBe("hi\n");
    expect(inb(5) & (LSR_THRE | LSR_TEMT)).toBe(LSR_THRE | LSR_TEMT);
  });

  test("THRE interrupt as serial8250_do_startup probes it, and acknowledged by reading IIR", () => {
    const { inb, outb, irq } = rig();
    outb(1, IER_THRI);
    expect(irq()).toBe(true);
    const lsr = inb(5);
    const iir = inb(2);
    expect(lsr & LSR_TEMT).toBeTruthy();
    expect(iir & 0x0f).toBe(IIR_THRI);
    expect(irq()).toBe(false); // reading IIR acknowledged THRE
    outb(1, 0);
    outb(1, IER_THRI);
    expect(inb(2) & IIR_NO_INT).toBe(0); // re-asserted on the 0->1 edge of THRI
    outb(1, 0);
  });

  test("each transmitted byte re-raises THRE while THRI is enabled", () => {
    const { inb, outb, irqEdges } = rig();
    outb(1, IER_THRI);
    inb(2);
    outb(0, 0x41);
    expect(inb(2) & 0x0f).toBe(IIR_THRI);
    expect(irqEdges).toEqual([true, false, true, false]);
  });
});

describe("receive", () => {
  test("host input raises RDI; RBR drains in order; DR clears at empty", () => {
    const { uart, inb, outb, irq } = rig();
    outb(1, IER_RDI);
    expect(irq()).toBe(false);
    expect(uart.receive(new TextEncoder().encode("ls\r"))).toBe(3);
    expect(irq()).toBe(true);
    expect(inb(2) & 0x0f).toBe(IIR_RDI);
    const got: number[] = [];
    while (inb(5) & LSR_DR) got.push(inb(0));
    expect(String.fromCharCode(...got)).toBe("ls\r");
    expect(irq()).toBe(false);
    expect(inb(2) & IIR_NO_INT).toBe(IIR_NO_INT);
  });

  test("input beyond capacity overruns: bytes refused, LSR.OE and an RLSI interrupt, cleared by reading LSR", () => {
    const { uart, inb, outb, irq } = rig(4);
    outb(1, IER_RLSI | IER_RDI);
    expect(uart.receive(Uint8Array.of(1, 2, 3, 4, 5, 6))).toBe(4);
    expect(uart.inputSpace).toBe(0);
    expect(inb(2) & 0x0f).toBe(IIR_RLSI); // line status outranks received data
    expect(inb(5) & LSR_OE).toBe(LSR_OE);
    expect(inb(5) & LSR_OE).toBe(0);
    expect(inb(2) & 0x0f).toBe(IIR_RDI);
    expect(irq()).toBe(true);
  });

  test("FCR clear-receiver empties the FIFO", () => {
    const { uart, inb, outb } = rig();
    outb(2, FCR_ENABLE_FIFO);
    uart.receive(Uint8Array.of(9, 9));
    outb(2, FCR_ENABLE_FIFO | 0x02);
    expect(inb(5) & LSR_DR).toBe(0);
  });
});

describe("loopback", () => {
  test("THR bytes come back on RBR, not on the output; host input is refused", () => {
    const { uart, inb, outb, out } = rig();
    outb(4, MCR_LOOP | MCR_OUT2);
    outb(0, 0x5a);
    expect(out).toEqual([]);
    expect(inb(5) & LSR_DR).toBe(LSR_DR);
    expect(inb(0)).toBe(0x5a);
    expect(uart.receive(Uint8Array.of(1))).toBe(0);
    outb(4, MCR_OUT2);
    outb(0, 0x5a);
    expect(out).toEqual([0x5a]);
  });

  test("modem control changes in loopback set delta bits and a modem status interrupt", () => {
    const { inb, outb, irq } = rig();
    outb(4, MCR_LOOP);
    inb(6); // clear deltas from entering loopback
    outb(1, IER_MSI);
    outb(4, MCR_LOOP | MCR_RTS | MCR_DTR);
    expect(irq()).toBe(true);
    expect(inb(2) & 0x0f).toBe(IIR_MSI);
    const msr = inb(6);
    expect(msr & MSR_DCTS).toBe(MSR_DCTS);
    expect(msr & 0x30).toBe(0x30); // CTS and DSR follow RTS and DTR
    expect(irq()).toBe(false); // reading MSR cleared the deltas
  });
});

test("multi-byte and out-of-range accesses are harmless", () => {
  const { inb, uart } = rig();
  const d = new Uint8Array(4).fill(0xee);
  uart.read(7, d);
  expect([...d]).toEqual([0, 0, 0, 0]);
  expect(inb(8)).toBe(0xff);
  uart.write(9, Uint8Array.of(1));
  uart.write(0, new Uint8Array(0));
});
