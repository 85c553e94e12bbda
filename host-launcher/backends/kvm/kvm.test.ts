// The KVM backend against the real /dev/kvm: a VM with memory, a vCPU in real mode,
// port reads answered through complete(), register and MSR round trips, memory unmapping.
import { describe, expect, test } from "bun:test";
import { MAP, mmap, munmap, PROT } from "../../../lib/ffi/libc.ts";
import { KvmHypervisor, kvmUnavailable, supportedCpuid } from "./kvm.ts";

const why = kvmUnavailable() ?? "";
if (why) console.log(`kvm.test: SKIPPED: ${why}`);

// mov dx,0x60; in al,dx; mov dx,0x3f8; out dx,al; hlt
const ECHO = [0xba, 0x60, 0x00, 0xec, 0xba, 0xf8, 0x03, 0xee, 0xf4];

describe.skipIf(!!why)("KVM backend on /dev/kvm", () => {
  function withVm(fn: (ctx: { hv: KvmHypervisor; part: ReturnType<KvmHypervisor["createPartition"]>; mem: ReturnType<typeof mmap> }) => void) {
    const hv = new KvmHypervisor();
    const part = hv.createPartition({ irqchip: false });
    const mem = mmap(0x10000, PROT.READ | PROT.WRITE, MAP.PRIVATE | MAP.ANONYMOUS);
    try {
      part.mapMemory({ slot: 0, guestAddr: 0n, host: mem });
      fn({ hv, part, mem });
    } finally {
      part.destroy();
      munmap(mem);
      hv.close();
    }
  }

  function realMode(vcpu: ReturnType<ReturnType<KvmHypervisor["createPartition"]>["createVcpu"]>, ip: number) {
    const s = vcpu.getSpecialRegs();
    for (const k of ["cs", "ds", "es", "ss"] as const) s[k] = { ...s[k], base: 0n, selector: 0 };
    vcpu.setSpecialRegs(s);
    vcpu.setRegs({ ...vcpu.getRegs(), rip: BigInt(ip), rflags: 2n });
  }

  test("a port read is answered by complete() and the guest echoes the byte to COM1", () => {
    withVm(({ part, mem }) => {
      mem.bytes.set(ECHO, 0x1000);
      const vcpu = part.createVcpu(0);
      realMode(vcpu, 0x1000);
      const read = vcpu.run();
      expect(read).toMatchObject({ kind: "io", port: 0x60, size: 1, write: false, count: 1 });
      vcpu.complete(Uint8Array.of(0x5a));
      const write = vcpu.run();
      expect(write).toMatchObject({ kind: "io", port: 0x3f8, write: true });
      expect(write.kind === "io" && write.data[0]).toBe(0x5a);
      expect(vcpu.run().kind).toBe("halt");
      expect(vcpu.getRegs().rip).toBe(0x1009n);
    });
  });

  test("general registers and MSRs round-trip through the vCPU", () => {
    withVm(({ part }) => {
      const vcpu = part.createVcpu(0);
      const r = { ...vcpu.getRegs(), rax: 0x1122334455667788n, r15: 0xfedcba9876543210n, rip: 0x1234n };
      vcpu.setRegs(r);
      expect(vcpu.getRegs()).toMatchObject({ rax: r.rax, r15: r.r15, rip: r.rip });
      const SYSENTER_CS = 0x174;
      vcpu.setMsrs([{ index: SYSENTER_CS, value: 0x10n }]);
      expect(vcpu.getMsrs([SYSENTER_CS])).toEqual([{ index: SYSENTER_CS, value: 0x10n }]);
    });
  });

  test("an unmapped slot is gone: the guest's fetch becomes an MMIO exit", () => {
    withVm(({ part, mem }) => {
      mem.bytes.set(ECHO, 0x1000);
      part.unmapMemory(0);
      const vcpu = part.createVcpu(0);
      realMode(vcpu, 0x1000);
      const exit = vcpu.run();
      // Without RAM the instruction fetch reads MMIO (or the hypervisor reports it cannot emulate).
      expect(["mmio", "internal-error"]).toContain(exit.kind);
      expect(() => part.unmapMemory(0)).toThrow("not mapped");
    });
  });

  test("KVM_GET_SUPPORTED_CPUID lists the basic leaves", () => {
    const hv = new KvmHypervisor();
    try {
      const leaves = supportedCpuid(hv.sysFd);
      expect(leaves.some((e) => e.function === 0)).toBe(true);
      expect(leaves.some((e) => e.function === 1)).toBe(true);
    } finally {
      hv.close();
    }
  });
});
