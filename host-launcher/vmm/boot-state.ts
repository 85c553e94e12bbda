// Copy the backend-neutral boot register values (boot/x86_64/registers.ts) into a vCPU
// through the Hypervisor interface.
import type { Segment as BootSegment } from "../boot/x86_64/gdt.ts";
import type { BootRegisters } from "../boot/x86_64/registers.ts";
import type { Segment, Vcpu } from "../backends/hypervisor.ts";

const seg = (s: BootSegment): Segment => ({ ...s, base: BigInt(s.base) });

export function applyBootRegisters(vcpu: Vcpu, b: BootRegisters): void {
  const s = vcpu.getSpecialRegs();
  vcpu.setSpecialRegs({
    ...s,
    cs: seg(b.cs), ds: seg(b.ds), es: seg(b.es), fs: seg(b.fs), gs: seg(b.gs), ss: seg(b.ss), tr: seg(b.tr),
    gdt: { base: BigInt(b.gdt.base), limit: b.gdt.limit },
    idt: { base: BigInt(b.idt.base), limit: b.idt.limit },
    cr0: BigInt(b.cr0), cr3: BigInt(b.cr3), cr4: BigInt(b.cr4), efer: BigInt(b.efer),
  });
  const r = vcpu.getRegs();
  vcpu.setRegs({ ...r, rip: BigInt(b.rip), rsp: BigInt(b.rsp), rbp: BigInt(b.rbp), rsi: BigInt(b.rsi), rflags: BigInt(b.rflags) });
}
