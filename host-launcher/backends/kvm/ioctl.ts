// KVM's ioctl request numbers, computed the way <asm-generic/ioctl.h> does
// (_IO/_IOR/_IOW/_IOWR over type KVMIO = 0xAE) from the sizes in structs.ts.
import { SIZE } from "./structs.ts";

const IOC_NONE = 0;
const IOC_WRITE = 1;
const IOC_READ = 2;
const KVMIO = 0xae;

/** _IOC(dir, type, nr, size): dir in bits 30-31, size in 16-29, type in 8-15, nr in 0-7. */
export function ioc(dir: number, type: number, nr: number, size: number): number {
  if (size >= 1 << 14) throw new Error(`ioctl argument size ${size} does not fit 14 bits`);
  return ((dir << 30) >>> 0) + (size << 16) + (type << 8) + nr;
}
const io = (nr: number) => ioc(IOC_NONE, KVMIO, nr, 0);
const ior = (nr: number, size: number) => ioc(IOC_READ, KVMIO, nr, size);
const iow = (nr: number, size: number) => ioc(IOC_WRITE, KVMIO, nr, size);
const iowr = (nr: number, size: number) => ioc(IOC_READ | IOC_WRITE, KVMIO, nr, size);

export const KVM = {
  GET_API_VERSION: io(0x00),
  CREATE_VM: io(0x01),
  CHECK_EXTENSION: io(0x03),
  GET_VCPU_MMAP_SIZE: io(0x04),
  GET_SUPPORTED_CPUID: iowr(0x05, SIZE.kvm_cpuid2),
  CREATE_VCPU: io(0x41),
  SET_USER_MEMORY_REGION: iow(0x46, SIZE.kvm_userspace_memory_region),
  SET_TSS_ADDR: io(0x47),
  SET_IDENTITY_MAP_ADDR: iow(0x48, 8),
  CREATE_IRQCHIP: io(0x60),
  IRQ_LINE: iow(0x61, SIZE.kvm_irq_level),
  IRQFD: iow(0x76, SIZE.kvm_irqfd),
  CREATE_PIT2: iow(0x77, SIZE.kvm_pit_config),
  RUN: io(0x80),
  GET_REGS: ior(0x81, SIZE.kvm_regs),
  SET_REGS: iow(0x82, SIZE.kvm_regs),
  GET_SREGS: ior(0x83, SIZE.kvm_sregs),
  SET_SREGS: iow(0x84, SIZE.kvm_sregs),
  GET_MSRS: iowr(0x88, SIZE.kvm_msrs),
  SET_MSRS: iow(0x89, SIZE.kvm_msrs),
  SET_CPUID2: iow(0x90, SIZE.kvm_cpuid2),
  GET_VCPU_EVENTS: ior(0x9f, SIZE.kvm_vcpu_events),
  SET_VCPU_EVENTS: iow(0xa0, SIZE.kvm_vcpu_events),
} as const;

/** KVM_CHECK_EXTENSION capability numbers (<linux/kvm.h>). */
export const CAP = {
  IRQCHIP: 0,
  HLT: 1,
  USER_MEMORY: 3,
  SET_TSS_ADDR: 4,
  EXT_CPUID: 7,
  NR_VCPUS: 9,
  PIT2: 33,
  IRQFD: 32,
  IOEVENTFD: 36,
  SET_IDENTITY_MAP_ADDR: 37,
  MAX_VCPUS: 66,
  IMMEDIATE_EXIT: 136,
} as const;

/** kvm_run.exit_reason values. */
export const EXIT = {
  UNKNOWN: 0,
  EXCEPTION: 1,
  IO: 2,
  HYPERCALL: 3,
  DEBUG: 4,
  HLT: 5,
  MMIO: 6,
  IRQ_WINDOW_OPEN: 7,
  SHUTDOWN: 8,
  FAIL_ENTRY: 9,
  INTR: 10,
  INTERNAL_ERROR: 17,
  SYSTEM_EVENT: 24,
} as const;

export const KVM_API_VERSION = 12;
