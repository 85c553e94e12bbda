// The boot spike and the speed probe on the real /dev/kvm (a few rounds; ci/boot-native runs 200).
import { describe, expect, test } from "bun:test";
import { KvmHypervisor, kvmUnavailable } from "../backends/kvm/kvm.ts";
import { HARDWARE_NS_PER_INSTRUCTION, speedProbe } from "../preflight/speed.ts";
import { bootSpike, leakProblems, spikePlan } from "./boot-spike.ts";
import { helloPayload, PAYLOAD_ADDR } from "./payload.ts";

const why = kvmUnavailable();
if (why) console.log(`boot-spike.test: SKIPPED the KVM runs: ${why}`);

test("the plan names every step and the hello payload ends in HLT after its NUL-terminated text", () => {
  expect(spikePlan("kvm")).toHaveLength(6);
  const p = helloPayload();
  expect(p.entry).toBe(PAYLOAD_ADDR);
  expect(new TextDecoder().decode(p.code.subarray(15, 21))).toBe("hello\n");
  expect(p.code[14]).toBe(0xf4);
});

describe.skipIf(!!why)("on /dev/kvm", () => {
  test("a few spike rounds print hello on COM1, halt, and keep the fd count", () => {
    const hv = new KvmHypervisor();
    try {
      const r = bootSpike(hv, 5);
      expect(r.serial).toBe("hello\n");
      expect(r.lastExit).toBe("halt");
      expect(leakProblems(r)).toEqual([]);
    } finally {
      hv.close();
    }
  });

  test("the speed probe's class follows its measured ns per instruction", () => {
    const hv = new KvmHypervisor();
    try {
      const s = speedProbe(hv);
      console.log(`speed probe: ${s.class}, ${s.nsPerInstruction.toFixed(1)} ns/instruction, ${s.usPerExit.toFixed(1)} µs/exit`);
      expect(s.class).toBe(s.nsPerInstruction < HARDWARE_NS_PER_INSTRUCTION ? "hardware-accelerated" : "emulation-grade");
      expect(s.usPerExit).toBeGreaterThan(0);
    } finally {
      hv.close();
    }
  });
});
