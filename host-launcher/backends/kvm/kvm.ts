// The KVM backend's system and VM level: /dev/kvm, capabilities, a VM with its
// in-kernel irqchip and PIT, guest memory slots and IRQ lines.
import { accessSync, closeSync, constants, openSync } from "node:fs";
import { ioctlBuf, ioctlInt, sysError } from "../../../lib/ffi/libc.ts";
import type { CpuidEntry, Hypervisor, MemoryRegion, Partition, PartitionOptions } from "../hypervisor.ts";
import { CAP, KVM, KVM_API_VERSION } from "./ioctl.ts";
import { cpuidBuffer, decodeCpuid, encodeIrqLevel, encodeMemoryRegion, encodePitConfig } from "./structs.ts";
import { KvmVcpu } from "./vcpu.ts";

export const KVM_DEVICE = "/dev/kvm";
/** Where the VMX real-mode TSS (3 pages) and identity-map page live: just below the 4 GiB BIOS area, as QEMU and Firecracker place them. */
export const TSS_ADDR = 0xfffbd000;
export const IDENTITY_MAP_ADDR = 0xfffbc000n;
const E2BIG = 7;
const KVM_MEM_READONLY = 2;

/** Why this process cannot use KVM (for tests and checks that skip loudly), or undefined when it can. */
export function kvmUnavailable(): string | undefined {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  try {
    accessSync(KVM_DEVICE, constants.R_OK | constants.W_OK);
    return undefined;
  } catch {
    return `${KVM_DEVICE} is missing or not read-write for this user`;
  }
}

export function openKvm(): number {
  return openSync(KVM_DEVICE, constants.O_RDWR | 0o2000000 /* O_CLOEXEC */);
}

function check(rc: number, what: string): number {
  if (rc < 0) throw sysError(what);
  return rc;
}

export const apiVersion = (sysFd: number) => check(ioctlInt(sysFd, KVM.GET_API_VERSION, 0), "KVM_GET_API_VERSION");
/** KVM_CHECK_EXTENSION: 0 when absent, otherwise a positive capability-specific value. */
export const checkExtension = (fd: number, cap: number) => Math.max(0, ioctlInt(fd, KVM.CHECK_EXTENSION, cap));
export const vcpuMmapSize = (sysFd: number) => check(ioctlInt(sysFd, KVM.GET_VCPU_MMAP_SIZE, 0), "KVM_GET_VCPU_MMAP_SIZE");

/** KVM_GET_SUPPORTED_CPUID, growing the buffer until the kernel's list fits. */
export function supportedCpuid(sysFd: number): CpuidEntry[] {
  for (let max = 64; max <= 4096; max *= 2) {
    const b = cpuidBuffer(max);
    if (ioctlBuf(sysFd, KVM.GET_SUPPORTED_CPUID, b) === 0) return decodeCpuid(b);
    const e = sysError("KVM_GET_SUPPORTED_CPUID");
    if (e.errno !== E2BIG) throw e;
  }
  throw new Error("KVM_GET_SUPPORTED_CPUID: more than 4096 entries");
}

export class KvmPartition implements Partition {
  private readonly slots = new Map<number, MemoryRegion>();
  private readonly vcpus: KvmVcpu[] = [];
  private closed = false;

  private constructor(
    readonly sysFd: number,
    readonly vmFd: number,
    readonly mmapSize: number,
  ) {}

  static create(sysFd: number, opts: PartitionOptions): KvmPartition {
    const vmFd = check(ioctlInt(sysFd, KVM.CREATE_VM, 0), "KVM_CREATE_VM");
    const p = new KvmPartition(sysFd, vmFd, vcpuMmapSize(sysFd));
    try {
      // Intel VMX needs these two regions for real mode; other vendors ignore them.
      if (checkExtension(sysFd, CAP.SET_TSS_ADDR)) check(ioctlInt(vmFd, KVM.SET_TSS_ADDR, TSS_ADDR), "KVM_SET_TSS_ADDR");
      if (checkExtension(sysFd, CAP.SET_IDENTITY_MAP_ADDR)) {
        const a = new BigUint64Array([IDENTITY_MAP_ADDR]);
        check(ioctlBuf(vmFd, KVM.SET_IDENTITY_MAP_ADDR, a), "KVM_SET_IDENTITY_MAP_ADDR");
      }
      if (opts.irqchip) {
        check(ioctlInt(vmFd, KVM.CREATE_IRQCHIP, 0), "KVM_CREATE_IRQCHIP");
        check(ioctlBuf(vmFd, KVM.CREATE_PIT2, encodePitConfig()), "KVM_CREATE_PIT2");
      }
    } catch (e) {
      p.destroy();
      throw e;
    }
    return p;
  }

  mapMemory(r: MemoryRegion): void {
    const b = encodeMemoryRegion(r.slot, r.readonly ? KVM_MEM_READONLY : 0, r.guestAddr, r.host.length, r.host.address);
    check(ioctlBuf(this.vmFd, KVM.SET_USER_MEMORY_REGION, b), `KVM_SET_USER_MEMORY_REGION slot ${r.slot}`);
    this.slots.set(r.slot, r);
  }

  unmapMemory(slot: number): void {
    const r = this.slots.get(slot);
    if (!r) throw new Error(`memory slot ${slot} is not mapped`);
    // A region of size 0 deletes the slot.
    check(ioctlBuf(this.vmFd, KVM.SET_USER_MEMORY_REGION, encodeMemoryRegion(slot, 0, r.guestAddr, 0, 0)), `KVM_SET_USER_MEMORY_REGION delete slot ${slot}`);
    this.slots.delete(slot);
  }

  createVcpu(index: number): KvmVcpu {
    const v = KvmVcpu.create(this.sysFd, this.vmFd, index, this.mmapSize);
    this.vcpus.push(v);
    return v;
  }

  setIrqLine(irq: number, level: boolean): void {
    check(ioctlBuf(this.vmFd, KVM.IRQ_LINE, encodeIrqLevel(irq, level)), `KVM_IRQ_LINE ${irq}`);
  }

  /** Close the vCPUs (their kvm_run mappings too) and the VM; the kernel frees guest state when the last fd closes. */
  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    for (const v of this.vcpus) v.destroy();
    closeSync(this.vmFd);
  }
}

/** The KVM hypervisor: owns the /dev/kvm fd. */
export class KvmHypervisor implements Hypervisor {
  readonly name = "kvm";
  readonly sysFd: number;
  constructor() {
    this.sysFd = openKvm();
    const v = apiVersion(this.sysFd);
    if (v !== KVM_API_VERSION) {
      closeSync(this.sysFd);
      throw new Error(`KVM API version ${v}, expected ${KVM_API_VERSION}`);
    }
  }
  createPartition(opts: PartitionOptions): KvmPartition {
    return KvmPartition.create(this.sysFd, opts);
  }
  close(): void {
    closeSync(this.sysFd);
  }
}
