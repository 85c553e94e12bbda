// The struct sizes, kvm_run offsets, ioctl numbers and constants this backend
// hard-codes, compared with what gcc computes from <linux/kvm.h>.
import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CAP, EXIT, KVM, KVM_API_VERSION } from "./ioctl.ts";
import { decodeRegs, decodeSregs, encodeRegs, encodeSregs, EVENTS, RUN, SIZE } from "./structs.ts";

const gcc = Bun.which("gcc");
const header = existsSync("/usr/include/linux/kvm.h");
const why = !gcc ? "gcc is not installed" : !header ? "<linux/kvm.h> is missing (linux-libc-dev)" : "";
if (why) console.log(`structs.test: SKIPPED the C layout comparison: ${why}`);

function probe(): Map<string, number> {
  const dir = mkdtempSync(join(tmpdir(), "kvm-probe-"));
  try {
    const exe = join(dir, "probe");
    const cc = Bun.spawnSync([gcc!, "-O0", "-o", exe, join(import.meta.dir, "layout-probe.c")], { stderr: "pipe" });
    if (cc.exitCode !== 0) throw new Error(`gcc failed: ${cc.stderr.toString()}`);
    const out = Bun.spawnSync([exe]).stdout.toString();
    return new Map(out.trim().split("\n").map((l) => { const [k, v] = l.split(" "); return [k!, Number(v)]; }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!!why)("KVM layouts match <linux/kvm.h>", () => {
  const c = why ? new Map<string, number>() : probe();
  const check = (prefix: string, table: Record<string, number>) => {
    for (const [k, v] of Object.entries(table)) expect([`${prefix}.${k}`, v]).toEqual([`${prefix}.${k}`, c.get(`${prefix}.${k}`)!]);
  };
  test("struct sizes", () => check("size", SIZE));
  test("kvm_run offsets", () => check("run", Object.fromEntries(Object.entries(RUN).filter(([k]) => k !== "union"))));
  test("kvm_vcpu_events offsets", () => check("events", EVENTS));
  test("ioctl request numbers", () => check("ioctl", KVM));
  test("capability numbers", () => check("cap", CAP));
  test("exit reasons", () => check("exit", EXIT));
  test("API version", () => expect(KVM_API_VERSION).toBe(c.get("api_version")!));
});

test("registers survive an encode/decode round trip", () => {
  const r = decodeRegs(new Uint8Array(SIZE.kvm_regs));
  r.rip = 0xffffffff81000000n;
  r.rflags = 2n;
  r.r15 = 0x123456789abcdef0n;
  expect(decodeRegs(encodeRegs(r))).toEqual(r);
  const s = decodeSregs(new Uint8Array(SIZE.kvm_sregs));
  s.cs = { ...s.cs, selector: 0x10, l: true, present: true, type: 11, s: true, base: 0n, limit: 0xffffffff, g: true };
  s.cr0 = 0x80050033n;
  s.efer = 0x500n;
  s.gdt = { base: 0x500n, limit: 31 };
  expect(decodeSregs(encodeSregs(s))).toEqual(s);
});
