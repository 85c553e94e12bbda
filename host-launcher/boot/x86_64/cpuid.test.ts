import { test, expect } from "bun:test";
import { filterCpuid, type CpuidEntry } from "./cpuid.ts";

// A trimmed set shaped like KVM_GET_SUPPORTED_CPUID's answer on an Intel host.
const host: CpuidEntry[] = [
  { function: 0, index: 0, flags: 0, eax: 0x1f, ebx: 0x756e6547, ecx: 0x6c65746e, edx: 0x49656e69 },
  { function: 1, index: 0, flags: 0, eax: 0x906ea, ebx: 0x00010800, ecx: 0xf7fa3223, edx: 0x0f8bfbff },
  { function: 4, index: 0, flags: 1, eax: 0x1c004121, ebx: 0x01c0003f, ecx: 0x3f, edx: 0 },
  { function: 5, index: 0, flags: 0, eax: 0x40, ebx: 0x40, ecx: 3, edx: 0x11142120 },
  { function: 6, index: 0, flags: 0, eax: 0x27f7, ebx: 2, ecx: 9, edx: 0 },
  { function: 0xa, index: 0, flags: 0, eax: 0x07300404, ebx: 0, ecx: 0, edx: 0x603 },
  { function: 0xb, index: 0, flags: 1, eax: 1, ebx: 2, ecx: 0x100, edx: 7 },
  { function: 0xb, index: 1, flags: 1, eax: 4, ebx: 16, ecx: 0x201, edx: 7 },
  { function: 0xd, index: 0, flags: 1, eax: 0x2ff, ebx: 0x340, ecx: 0xa88, edx: 0 },
  { function: 0x40000000, index: 0, flags: 0, eax: 0x40000001, ebx: 0, ecx: 0, edx: 0 },
  { function: 0x80000000, index: 0, flags: 0, eax: 0x80000008, ebx: 0, ecx: 0, edx: 0 },
];

const leaf = (es: CpuidEntry[], fn: number, index = 0) => es.find((e) => e.function === fn && e.index === index);

test("leaf 1: hypervisor bit on, MONITOR and x2APIC off, APIC id and CPU count in EBX, HTT with >1 CPU", () => {
  const out = filterCpuid(host, { apicId: 2, cpuCount: 4 });
  const l1 = leaf(out, 1)!;
  expect(l1.ecx >>> 31).toBe(1);
  expect(l1.ecx & (1 << 3)).toBe(0);
  expect(l1.ecx & (1 << 21)).toBe(0);
  expect(l1.ebx >>> 24).toBe(2);
  expect((l1.ebx >>> 16) & 0xff).toBe(4);
  expect(l1.ebx & 0xffff).toBe(0x0800); // CLFLUSH size kept
  expect(l1.edx & (1 << 28)).toBe(1 << 28);
  expect(l1.ecx & (1 << 26)).toBe(1 << 26); // XSAVE kept unless asked
  expect(leaf(filterCpuid(host, { apicId: 0, cpuCount: 1 }), 1)!.edx & (1 << 28)).toBe(0);
});

test("the input is not modified (pure)", () => {
  const before = JSON.stringify(host);
  filterCpuid(host, { apicId: 0, cpuCount: 2, hideXsave: true, kvmSignature: true });
  expect(JSON.stringify(host)).toBe(before);
});

test("topology leaves name this vCPU and the package size; MONITOR, PMU and power leaves are emptied", () => {
  const out = filterCpuid(host, { apicId: 3, cpuCount: 4 });
  expect(leaf(out, 0xb, 0)).toMatchObject({ ebx: 1, edx: 3, ecx: 0x100 });
  expect(leaf(out, 0xb, 1)).toMatchObject({ eax: 2, ebx: 4, edx: 3, ecx: 0x201 });
  expect(leaf(out, 4)!.eax >>> 26).toBe(3);
  expect(leaf(out, 5)).toMatchObject({ eax: 0, ebx: 0, ecx: 0, edx: 0 });
  expect(leaf(out, 0xa)).toMatchObject({ eax: 0, edx: 0 });
  expect(leaf(out, 6)!.eax).toBe(4); // only ARAT
});

test("x2APIC and XSAVE on request; KVM signature on request, else its leaves are dropped", () => {
  const plain = filterCpuid(host, { apicId: 0, cpuCount: 1 });
  expect(leaf(plain, 0x40000000)).toBeUndefined();
  const opt = filterCpuid(host, { apicId: 0, cpuCount: 1, x2apic: true, hideXsave: true, kvmSignature: true });
  expect(leaf(opt, 1)!.ecx & (1 << 21)).toBe(1 << 21);
  expect(leaf(opt, 1)!.ecx & (3 << 26)).toBe(0);
  expect(leaf(opt, 0xd)).toBeUndefined();
  const sig = leaf(opt, 0x40000000)!;
  const text = [sig.ebx, sig.ecx, sig.edx].map((r) => String.fromCharCode(r & 0xff, (r >> 8) & 0xff, (r >> 16) & 0xff, r >>> 24)).join("");
  expect(text).toBe("KVMKVMKVM\0\0\0");
  expect(leaf(filterCpuid(host.filter((e) => e.function < 0x40000000), { apicId: 0, cpuCount: 1, kvmSignature: true }), 0x40000000)).toBeDefined();
});

test("register values stay unsigned 32-bit; bad ids are rejected", () => {
  const out = filterCpuid(host, { apicId: 1, cpuCount: 2 });
  expect(out.every((e) => [e.eax, e.ebx, e.ecx, e.edx].every((r) => r >= 0 && r <= 0xffffffff))).toBe(true);
  expect(() => filterCpuid(host, { apicId: 2, cpuCount: 2 })).toThrow(RangeError);
  expect(() => filterCpuid(host, { apicId: 0, cpuCount: 0 })).toThrow(RangeError);
});

test("a topology leaf listed with subleaf 0 only (KVM on AMD) gains the core level and a terminator", () => {
  // What KVM_GET_SUPPORTED_CPUID returns for leaf 0xb on an AMD EPYC host: one all-zero subleaf.
  const amd = host.filter((e) => e.function !== 0xb).concat({ function: 0xb, index: 0, flags: 1, eax: 0, ebx: 0, ecx: 0, edx: 0 });
  const out = filterCpuid(amd, { apicId: 1, cpuCount: 2 });
  expect(leaf(out, 0xb, 0)).toMatchObject({ eax: 0, ebx: 1, ecx: 0x100, edx: 1 });
  // Core level: shift 1 puts APIC ids 0 and 1 in one package.
  expect(leaf(out, 0xb, 1)).toMatchObject({ eax: 1, ebx: 2, ecx: 0x201, edx: 1 });
  expect(leaf(out, 0xb, 2)).toMatchObject({ eax: 0, ebx: 0, ecx: 2 });
});
