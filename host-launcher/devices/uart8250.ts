// A 16550A UART as the PC's COM1 (port 0x3f8, IRQ 4): enough of the chip for Linux's 8250 driver to
// detect a 16550A (scratch, loopback and FIFO probes), run its console with THRE/RX interrupts, and for
// the host to feed console input. Register semantics follow the National PC16550D data sheet and
// QEMU's hw/char/serial.c. Offsets are relative to the base port; the bus routes to read()/write().

/** An interrupt line the device drives; the KVM backend maps it to KVM_IRQ_LINE. */
export interface IrqLine {
  set(level: boolean): void;
}

export interface Uart8250Options {
  irq: IrqLine;
  /** Bytes the guest transmits (console out); called once per THR write. */
  output: (bytes: Uint8Array) => void;
  /** Host-side receive buffer: bytes beyond it are dropped and flagged as an overrun. Default 4096. */
  inputCapacity?: number;
}

// Register offsets.
const RBR_THR_DLL = 0;
const IER_DLM = 1;
const IIR_FCR = 2;
const LCR = 3;
const MCR = 4;
const LSR = 5;
const MSR = 6;
const SCR = 7;

export const IER_RDI = 0x01; // received data available
export const IER_THRI = 0x02; // transmitter holding register empty
export const IER_RLSI = 0x04; // receiver line status
export const IER_MSI = 0x08; // modem status
export const IIR_NO_INT = 0x01;
export const IIR_MSI = 0x00;
export const IIR_THRI = 0x02;
export const IIR_RDI = 0x04;
export const IIR_RLSI = 0x06;
export const IIR_FIFO_ENABLED = 0xc0;
export const FCR_ENABLE_FIFO = 0x01;
export const FCR_CLEAR_RCVR = 0x02;
export const FCR_CLEAR_XMIT = 0x04;
export const LCR_DLAB = 0x80;
export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;
export const LSR_DR = 0x01;
export const LSR_OE = 0x02;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
export const MSR_DCTS = 0x01;
export const MSR_DDSR = 0x02;
export const MSR_TERI = 0x04;
export const MSR_DDCD = 0x08;
export const MSR_CTS = 0x10;
export const MSR_DSR = 0x20;
export const MSR_RI = 0x40;
export const MSR_DCD = 0x80;

export class Uart8250 {
  private readonly rx: number[] = [];
  private readonly capacity: number;
  private ier = 0;
  private fcr = 0;
  private lcr = 0;
  private mcr = MCR_OUT2;
  private lsrErrors = 0;
  private msr = MSR_DCD | MSR_DSR | MSR_CTS; // a terminal is attached
  private scr = 0;
  private divisor = 12; // 9600 baud, as the BIOS leaves it
  private thrPending = false;
  private level = false;

  constructor(private readonly opts: Uart8250Options) {
    this.capacity = opts.inputCapacity ?? 4096;
  }

  /** Console input from the host. Returns how many bytes were taken; the rest overran. */
  receive(bytes: Uint8Array): number {
    // In loopback mode the receiver is connected to the transmitter, not the outside world.
    if (this.mcr & MCR_LOOP) return 0;
    return this.enqueue(bytes);
  }

  /** Free space in the receive buffer, so a host reader can apply back-pressure instead of overrunning. */
  get inputSpace(): number {
    return this.capacity - this.rx.length;
  }

  read(offset: number, data: Uint8Array): void {
    if (data.length === 0) return;
    data.fill(0);
    data[0] = this.readReg(offset);
    this.updateIrq();
  }

  write(offset: number, data: Uint8Array): void {
    if (data.length === 0) return;
    this.writeReg(offset, data[0]!);
    this.updateIrq();
  }

  private readReg(offset: number): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL:
        if (dlab) return this.divisor & 0xff;
        return this.rx.shift() ?? 0;
      case IER_DLM:
        return dlab ? this.divisor >> 8 : this.ier;
      case IIR_FCR: {
        const id = this.pendingInterrupt();
        // Reading IIR while THRE is the reason acknowledges it (data sheet table 4).
        if (id === IIR_THRI) this.thrPending = false;
        return id | (this.fcr & FCR_ENABLE_FIFO ? IIR_FIFO_ENABLED : 0);
      }
      case LCR:
        return this.lcr;
      case MCR:
        return this.mcr;
      case LSR: {
        const v = this.lsr();
        this.lsrErrors = 0;
        return v;
      }
      case MSR: {
        const v = this.modemStatus();
        this.msr &= ~(MSR_DCTS | MSR_DDSR | MSR_TERI | MSR_DDCD);
        return v;
      }
      case SCR:
        return this.scr;
      default:
        return 0xff; // outside the 8 registers: an open bus
    }
  }

  private writeReg(offset: number, v: number): void {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (offset) {
      case RBR_THR_DLL:
        if (dlab) this.divisor = (this.divisor & 0xff00) | v;
        else this.transmit(v);
        return;
      case IER_DLM:
        if (dlab) {
          this.divisor = (this.divisor & 0xff) | (v << 8);
          return;
        }
        // Enabling THRI with an empty transmitter raises the interrupt at once; Linux's startup tests this.
        if (!(this.ier & IER_THRI) && v & IER_THRI) this.thrPending = true;
        this.ier = v & 0x0f;
        return;
      case IIR_FCR:
        // Changing the FIFO enable bit resets both FIFOs; our transmitter is always empty.
        if ((v ^ this.fcr) & FCR_ENABLE_FIFO || v & FCR_CLEAR_RCVR) this.rx.length = 0;
        this.fcr = v & 0xc9;
        return;
      case LCR:
        this.lcr = v;
        return;
      case MCR: {
        const before = this.modemStatus() & 0xf0;
        this.mcr = v & 0x1f;
        this.noteModemChange(before, this.modemStatus() & 0xf0);
        return;
      }
      case SCR:
        this.scr = v;
        return;
      default:
        return; // LSR and MSR are read-only
    }
  }

  private transmit(byte: number): void {
    this.thrPending = false;
    if (this.mcr & MCR_LOOP) this.enqueue(Uint8Array.of(byte));
    else this.opts.output(Uint8Array.of(byte));
    // The byte leaves at once: THR and the shift register are empty again.
    if (this.ier & IER_THRI) this.thrPending = true;
  }

  private enqueue(bytes: Uint8Array): number {
    const n = Math.min(bytes.length, this.capacity - this.rx.length);
    for (let i = 0; i < n; i++) this.rx.push(bytes[i]!);
    if (n < bytes.length) this.lsrErrors |= LSR_OE;
    this.updateIrq();
    return n;
  }

  private lsr(): number {
    return LSR_THRE | LSR_TEMT | (this.rx.length > 0 ? LSR_DR : 0) | this.lsrErrors;
  }

  /** In loopback the modem inputs are wired to the modem outputs: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
  private modemStatus(): number {
    if (!(this.mcr & MCR_LOOP)) return this.msr;
    const m = this.mcr;
    const lines = (m & MCR_RTS ? MSR_CTS : 0) | (m & MCR_DTR ? MSR_DSR : 0) | (m & MCR_OUT1 ? MSR_RI : 0) | (m & MCR_OUT2 ? MSR_DCD : 0);
    return lines | (this.msr & 0x0f);
  }

  private noteModemChange(before: number, after: number): void {
    const changed = before ^ after;
    if (changed & MSR_CTS) this.msr |= MSR_DCTS;
    if (changed & MSR_DSR) this.msr |= MSR_DDSR;
    if (changed & MSR_DCD) this.msr |= MSR_DDCD;
    if (before & MSR_RI && !(after & MSR_RI)) this.msr |= MSR_TERI; // trailing edge of ring
  }

  /** The highest-priority pending interrupt's IIR id, or IIR_NO_INT. */
  private pendingInterrupt(): number {
    if (this.ier & IER_RLSI && this.lsrErrors) return IIR_RLSI;
    if (this.ier & IER_RDI && this.rx.length > 0) return IIR_RDI;
    if (this.ier & IER_THRI && this.thrPending) return IIR_THRI;
    if (this.ier & IER_MSI && this.msr & 0x0f) return IIR_MSI;
    return IIR_NO_INT;
  }

  private updateIrq(): void {
    const level = this.pendingInterrupt() !== IIR_NO_INT;
    if (level !== this.level) {
      this.level = level;
      this.opts.irq.set(level);
    }
  }
}
