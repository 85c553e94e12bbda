// Shape the host's supported CPUID leaves into what one vCPU should see: say "hypervisor", give each
// vCPU its own APIC id and a consistent topology, and hide what the VMM does not provide (MONITOR/MWAIT,
// performance counters, power management; optionally x2APIC and XSAVE, which this project's
// emulation-grade KVM hosts fail on). Pure: entries in, new entries out.

export interface CpuidEntry {
  function: number;
  index: number;
  /** Backend flags (KVM_CPUID_FLAG_SIGNIFCANT_INDEX...), passed through untouched. */
  flags: number;
  eax: number;
  ebx: number;
  ecx: number;
  edx: number;
}

export interface CpuidOptions {
  /** This vCPU's APIC id (0-based, = vCPU index). */
  apicId: number;
  cpuCount: number;
  /** Advertise KVM's paravirt signature at 0x40000000 (the kernel then uses kvm-clock etc. if offered). */
  kvmSignature?: boolean;
  /** Keep x2APIC (needs an in-kernel or emulated x2APIC). Default: hidden. */
  x2apic?: boolean;
  /** Hide XSAVE/OSXSAVE and leaf 0xd (the equivalent of `noxsave`). */
  hideXsave?: boolean;
}

const LEAF1_ECX_MONITOR = 1 << 3;
const LEAF1_ECX_X2APIC = 1 << 21;
const LEAF1_ECX_XSAVE = 1 << 26;
const LEAF1_ECX_OSXSAVE = 1 << 27;
const LEAF1_ECX_HYPERVISOR = 1 << 31;
const LEAF1_EDX_HTT = 1 << 28;
const LEAF6_EAX_ARAT = 1 << 2;
export const KVM_SIGNATURE_LEAF = 0x40000000;
/** "KVMKVMKVM\0\0\0" as EBX, ECX, EDX. */
const KVM_SIGNATURE = [0x4b4d564b, 0x564b4d56, 0x0000004d] as const;

export function filterCpuid(entries: readonly CpuidEntry[], opts: CpuidOptions): CpuidEntry[] {
  if (!Number.isInteger(opts.cpuCount) || opts.cpuCount < 1 || opts.cpuCount > 255) throw new RangeError(`cpu count ${opts.cpuCount} out of range 1..255`);
  if (!Number.isInteger(opts.apicId) || opts.apicId < 0 || opts.apicId >= opts.cpuCount) throw new RangeError(`APIC id ${opts.apicId} out of range`);
  const coreBits = Math.ceil(Math.log2(opts.cpuCount));
  const out: CpuidEntry[] = [];
  for (const src of entries) {
    const e = { ...src };
    const fn = e.function;
    if (fn >= KVM_SIGNATURE_LEAF && fn <= KVM_SIGNATURE_LEAF + 0xff && !opts.kvmSignature) continue;
    if (fn === 0xd && opts.hideXsave) continue;
    switch (fn) {
      case 1:
        e.ecx |= LEAF1_ECX_HYPERVISOR;
        e.ecx &= ~LEAF1_ECX_MONITOR;
        if (!opts.x2apic) e.ecx &= ~LEAF1_ECX_X2APIC;
        if (opts.hideXsave) e.ecx &= ~(LEAF1_ECX_XSAVE | LEAF1_ECX_OSXSAVE);
        // EBX[31:24] initial APIC id, [23:16] logical processors per package.
        e.ebx = (e.ebx & 0xffff) | ((opts.cpuCount & 0xff) << 16) | (opts.apicId << 24);
        if (opts.cpuCount > 1) e.edx |= LEAF1_EDX_HTT;
        else e.edx &= ~LEAF1_EDX_HTT;
        break;
      case 4:
        // Deterministic cache parameters: EAX[31:26] = cores per package - 1.
        e.eax = (e.eax & 0x03ffffff) | ((opts.cpuCount - 1) << 26);
        break;
      case 5: // MONITOR/MWAIT parameters: not offered.
        e.eax = e.ebx = e.ecx = e.edx = 0;
        break;
      case 6: // Thermal and power management: only "APIC timer always running".
        e.eax &= LEAF6_EAX_ARAT;
        e.ebx = e.ecx = e.edx = 0;
        break;
      case 0xa: // Architectural performance monitoring: no PMU.
        e.eax = e.ebx = e.ecx = e.edx = 0;
        break;
      case 0xb:
      case 0x1f:
        topology(e, opts, coreBits);
        break;
      case 0x40000000:
        e.eax = Math.max(e.eax, KVM_SIGNATURE_LEAF + 1);
        [e.ebx, e.ecx, e.edx] = KVM_SIGNATURE;
        break;
    }
    e.eax >>>= 0;
    e.ebx >>>= 0;
    e.ecx >>>= 0;
    e.edx >>>= 0;
    out.push(e);
  }
  // KVM lists only subleaf 0 of the topology leaves (on AMD hosts it is all zeros). Without the core
  // level Linux takes every APIC id for its own package, and an AP then never finishes booting.
  for (const fn of [0xb, 0x1f]) {
    const leaf0 = out.find((e) => e.function === fn && e.index === 0);
    if (!leaf0) continue;
    for (const index of [1, 2]) {
      if (out.some((e) => e.function === fn && e.index === index)) continue;
      const e = { ...leaf0, index };
      topology(e, opts, coreBits);
      out.push(e);
    }
  }
  if (opts.kvmSignature && !out.some((e) => e.function === KVM_SIGNATURE_LEAF)) {
    out.push({ function: KVM_SIGNATURE_LEAF, index: 0, flags: 0, eax: KVM_SIGNATURE_LEAF + 1, ebx: KVM_SIGNATURE[0], ecx: KVM_SIGNATURE[1], edx: KVM_SIGNATURE[2] });
  }
  return out;
}

/** Extended topology: one thread per core, cpuCount cores in one package; EDX = x2APIC id. */
function topology(e: CpuidEntry, opts: CpuidOptions, coreBits: number): void {
  e.edx = opts.apicId;
  if (e.index === 0) {
    e.eax = 0;
    e.ebx = 1;
    e.ecx = (1 << 8) | 0; // level type SMT
  } else if (e.index === 1) {
    e.eax = coreBits;
    e.ebx = opts.cpuCount;
    e.ecx = (2 << 8) | 1; // level type core
  } else {
    e.eax = e.ebx = 0;
    e.ecx = e.index; // level type invalid ends the enumeration
  }
}
