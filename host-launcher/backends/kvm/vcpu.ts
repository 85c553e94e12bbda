// One KVM vCPU: its fd, the shared kvm_run page, KVM_RUN and exit decoding.
// KVM_RUN blocks the calling thread, so the VMM calls run() from a Worker per vCPU
// (host-launcher/vmm/); a vCPU may be opened in that Worker from the VM fd alone.
import { closeSync } from "node:fs";
import { errno, ioctlBuf, ioctlInt, MAP, mmap, munmap, PROT, sysError, type Mapping } from "../../../lib/ffi/libc.ts";
import type { CpuidFilter, GeneralRegs, Msr, SpecialRegs, Vcpu, VcpuExit } from "../hypervisor.ts";
import { EXIT, KVM } from "./ioctl.ts";
import { decodeMsrs, decodeRegs, decodeSregs, encodeCpuid, encodeMsrs, encodeRegs, encodeSregs, EVENTS, RUN, SIZE } from "./structs.ts";
import { supportedCpuid } from "./kvm.ts";

const EINTR = 4;
const EAGAIN = 11;
/** KVM_INTERNAL_ERROR_EMULATION: the in-kernel instruction emulator gave up. */
export const INTERNAL_ERROR_EMULATION = 1;
const SYSTEM_EVENTS: Record<number, "shutdown" | "reset" | "crash"> = { 1: "shutdown", 2: "reset", 3: "crash" };
/** A string I/O exit never carries more than a page of data. */
const MAX_IO_BYTES = 4096;

export class KvmVcpu implements Vcpu {
  private readonly view: DataView;
  private pending: { offset: number; length: number } | undefined;
  private closed = false;

  private constructor(
    readonly index: number,
    readonly fd: number,
    private readonly sysFd: number,
    private readonly runPage: Mapping,
  ) {
    this.view = new DataView(runPage.bytes.buffer, runPage.bytes.byteOffset, runPage.length);
  }

  static create(sysFd: number, vmFd: number, index: number, mmapSize: number): KvmVcpu {
    const fd = ioctlInt(vmFd, KVM.CREATE_VCPU, index);
    if (fd < 0) throw sysError("KVM_CREATE_VCPU", String(index));
    try {
      return new KvmVcpu(index, fd, sysFd, mmap(mmapSize, PROT.READ | PROT.WRITE, MAP.SHARED, fd, 0));
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  private ioctlChecked(req: number, buf: Uint8Array, what: string): Uint8Array {
    if (ioctlBuf(this.fd, req, buf) < 0) throw sysError(what, `vcpu ${this.index}`);
    return buf;
  }

  getRegs(): GeneralRegs {
    return decodeRegs(this.ioctlChecked(KVM.GET_REGS, new Uint8Array(SIZE.kvm_regs), "KVM_GET_REGS"));
  }
  setRegs(r: GeneralRegs): void {
    this.ioctlChecked(KVM.SET_REGS, encodeRegs(r), "KVM_SET_REGS");
  }
  getSpecialRegs(): SpecialRegs {
    return decodeSregs(this.ioctlChecked(KVM.GET_SREGS, new Uint8Array(SIZE.kvm_sregs), "KVM_GET_SREGS"));
  }
  setSpecialRegs(s: SpecialRegs): void {
    this.ioctlChecked(KVM.SET_SREGS, encodeSregs(s), "KVM_SET_SREGS");
  }
  setMsrs(msrs: Msr[]): void {
    const n = ioctlBuf(this.fd, KVM.SET_MSRS, encodeMsrs(msrs));
    if (n !== msrs.length) throw n < 0 ? sysError("KVM_SET_MSRS") : new Error(`KVM_SET_MSRS: MSR 0x${msrs[n]!.index.toString(16)} refused`);
  }
  getMsrs(indices: number[]): Msr[] {
    const b = encodeMsrs(indices.map((index) => ({ index, value: 0n })));
    const n = ioctlBuf(this.fd, KVM.GET_MSRS, b);
    if (n < 0) throw sysError("KVM_GET_MSRS");
    return decodeMsrs(b, n);
  }

  setCpuFeatures(filter?: CpuidFilter, vcpuCount = 1): void {
    const all = supportedCpuid(this.sysFd);
    this.ioctlChecked(KVM.SET_CPUID2, encodeCpuid(filter ? filter(all, this.index, vcpuCount) : all), "KVM_SET_CPUID2");
  }

  /** Queue a hardware exception (vector nr) for the next entry, e.g. to re-deliver a #BP the hypervisor handed to us. */
  injectException(nr: number, errorCode?: number): void {
    const b = this.ioctlChecked(KVM.GET_VCPU_EVENTS, new Uint8Array(SIZE.kvm_vcpu_events), "KVM_GET_VCPU_EVENTS");
    b[EVENTS.exception_injected] = 1;
    b[EVENTS.exception_nr] = nr;
    b[EVENTS.exception_has_error_code] = errorCode === undefined ? 0 : 1;
    b[EVENTS.exception_pending] = 0;
    new DataView(b.buffer).setUint32(EVENTS.exception_error_code, errorCode ?? 0, true);
    new DataView(b.buffer).setUint32(EVENTS.flags, 0, true);
    this.ioctlChecked(KVM.SET_VCPU_EVENTS, b, "KVM_SET_VCPU_EVENTS");
  }

  /** Ask a blocked or next KVM_RUN to return at once with "interrupted" (pairs with a signal to this thread). */
  setImmediateExit(on: boolean): void {
    this.view.setUint8(RUN.immediate_exit, on ? 1 : 0);
  }

  run(): VcpuExit {
    this.pending = undefined;
    for (;;) {
      if (ioctlInt(this.fd, KVM.RUN, 0) >= 0) break;
      const e = errno();
      if (e === EINTR) return { kind: "interrupted" };
      if (e !== EAGAIN) throw sysError("KVM_RUN", `vcpu ${this.index}`);
    }
    return this.decodeExit();
  }

  private decodeExit(): VcpuExit {
    const v = this.view;
    const reason = v.getUint32(RUN.exit_reason, true);
    switch (reason) {
      case EXIT.IO: {
        const size = v.getUint8(RUN.io_size) as 1 | 2 | 4;
        const count = v.getUint32(RUN.io_count, true);
        const offset = Number(v.getBigUint64(RUN.io_data_offset, true));
        const length = size * count;
        // The offset and length come from the kernel, but a bad value must not read past the page.
        if (length > MAX_IO_BYTES || offset + length > this.runPage.length) throw new Error(`KVM_EXIT_IO with data outside kvm_run (offset ${offset}, ${length} bytes)`);
        const write = v.getUint8(RUN.io_direction) === 1;
        if (!write) this.pending = { offset, length };
        return { kind: "io", port: v.getUint16(RUN.io_port, true), size, write, count, data: this.runPage.bytes.slice(offset, offset + length) };
      }
      case EXIT.MMIO: {
        const size = Math.min(8, v.getUint32(RUN.mmio_len, true));
        const write = v.getUint8(RUN.mmio_is_write) === 1;
        if (!write) this.pending = { offset: RUN.mmio_data, length: size };
        return { kind: "mmio", addr: v.getBigUint64(RUN.mmio_phys_addr, true), size, write, data: this.runPage.bytes.slice(RUN.mmio_data, RUN.mmio_data + size) };
      }
      case EXIT.HLT:
        return { kind: "halt" };
      case EXIT.SHUTDOWN:
        return { kind: "shutdown", reason: "triple fault (KVM_EXIT_SHUTDOWN)" };
      case EXIT.SYSTEM_EVENT: {
        const code = v.getUint32(RUN.system_event_type, true);
        return { kind: "system-event", event: SYSTEM_EVENTS[code] ?? "other", code };
      }
      case EXIT.INTR:
        return { kind: "interrupted" };
      case EXIT.DEBUG:
        return { kind: "debug", exception: v.getUint32(RUN.debug_exception, true), pc: v.getBigUint64(RUN.debug_pc, true) };
      case EXIT.INTERNAL_ERROR: {
        const suberror = v.getUint32(RUN.internal_suberror, true);
        const n = Math.min(16, v.getUint32(RUN.internal_ndata, true));
        const detail = Array.from({ length: n }, (_, i) => v.getBigUint64(RUN.internal_data + i * 8, true));
        // struct emulation_failure: flags (bit 0: instruction bytes valid), insn_size, insn_bytes[15].
        if (suberror === INTERNAL_ERROR_EMULATION && n >= 3 && (detail[0]! & 1n) === 1n) {
          const size = Math.min(15, v.getUint8(RUN.emulation_insn_size));
          return { kind: "internal-error", suberror, detail, instruction: this.runPage.bytes.slice(RUN.emulation_insn_bytes, RUN.emulation_insn_bytes + size) };
        }
        return { kind: "internal-error", suberror, detail };
      }
      case EXIT.FAIL_ENTRY:
        return { kind: "fail-entry", reason: v.getBigUint64(RUN.fail_entry_reason, true) };
      default:
        return { kind: "unknown", code: reason };
    }
  }

  complete(data: Uint8Array): void {
    const p = this.pending;
    if (!p) throw new Error("complete() without a pending I/O or MMIO read");
    this.runPage.bytes.set(data.subarray(0, p.length), p.offset);
    if (data.length < p.length) this.runPage.bytes.fill(0xff, p.offset + data.length, p.offset + p.length);
    this.pending = undefined;
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    munmap(this.runPage);
    closeSync(this.fd);
  }
}
