// The VM runtime end to end on /dev/kvm without a real kernel: a hand-made vmlinux ELF whose
// 64-bit entry writes to COM1, reads the UART's line status and an empty port, and resets through the i8042, booted by vm-process.ts (Workers,
// exit marshalling, 8250, i8042, setupLinuxBoot's long-mode state). Also how a final reset is read.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { kvmUnavailable } from "../backends/kvm/kvm.ts";
import { EXIT_REBOOT, stopKind, type VmProcessConfig } from "./vm-process.ts";

test("init's farewell decides power-off versus reboot; a panic is a crash", () => {
  expect(stopKind("...\ntsos: init: powering off\n", "reboot")).toBe("poweroff");
  expect(stopKind("...\ntsos: init: rebooting\n", "reboot")).toBe("reboot");
  expect(stopKind("Kernel panic - not syncing: Attempted to kill init!", "reboot")).toBe("crash");
  expect(stopKind("", "poweroff")).toBe("poweroff");
  expect(stopKind("", "reboot")).toBe("reboot");
});

const LOAD = 0x100000;
const CODE_OFFSET = 64 + 56;
const CODE = [
  0x66, 0xba, 0xf8, 0x03, //             mov dx, 0x3f8
  0xb0, 0x68, 0xee, 0xb0, 0x69, 0xee, // out 'h', out 'i'
  0xb0, 0x0a, 0xee, //                   out '\n'
  0x66, 0xba, 0xfd, 0x03, 0xec, //       in al, 0x3fd (LSR: answered by the main thread while the vCPU waits)
  0x66, 0xba, 0xf8, 0x03, 0xee, //       out 0x3f8, al
  0x66, 0xba, 0xf8, 0x02, 0xec, //       in al, 0x2f8 (nothing there: all-ones)
  0x66, 0xba, 0xf8, 0x03, 0xee, //       out 0x3f8, al
  0x66, 0xba, 0x64, 0x00, 0xb0, 0xfe, 0xee, // out 0x64, 0xfe (i8042 reset)
  0xf4, 0xeb, 0xfd, //                   hlt; jmp hlt
];
const LSR_IDLE = 0x60; // THR empty, transmitter empty

/** The smallest ELF64 executable parseElfKernel accepts: one PT_LOAD at 1 MiB, entry at the code. */
function tinyVmlinux(): Uint8Array {
  const b = new Uint8Array(CODE_OFFSET + CODE.length);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 62, true); // x86-64
  v.setUint32(20, 1, true);
  v.setBigUint64(24, BigInt(LOAD + CODE_OFFSET), true); // e_entry
  v.setBigUint64(32, 64n, true); // e_phoff
  v.setUint16(52, 64, true);
  v.setUint16(54, 56, true);
  v.setUint16(56, 1, true);
  v.setUint32(64, 1, true); // PT_LOAD
  v.setUint32(68, 5, true); // R+X
  v.setBigUint64(72, 0n, true);
  v.setBigUint64(80, BigInt(LOAD), true);
  v.setBigUint64(88, BigInt(LOAD), true);
  v.setBigUint64(96, BigInt(b.length), true);
  v.setBigUint64(104, BigInt(b.length), true);
  b.set(CODE, CODE_OFFSET);
  return b;
}

const noKvm = kvmUnavailable() ?? "";
if (noKvm) console.log(`vm-process.test: SKIPPED the KVM boot: ${noKvm}`);

describe.skipIf(!!noKvm)("vm-process on KVM", () => {
  for (const cpus of [1, 2]) {
    test(`a 64-bit payload's COM1 output arrives and its i8042 reset ends the VM (${cpus} vCPU${cpus > 1 ? "s" : ""})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), "tsos-vmproc-"));
      try {
        const kernel = join(dir, "vmlinux");
        writeFileSync(kernel, tinyVmlinux());
        const cfg: VmProcessConfig = { kernel, disks: [], memoryMiB: 16, cpus, cmdline: [], emulatedKvm: false, interactive: false, timeoutS: 20 };
        const p = Bun.spawn([process.execPath, resolve(import.meta.dir, "vm-process.ts"), JSON.stringify(cfg)], { stdout: "pipe", stderr: "pipe", stdin: "ignore" });
        const [out, err, code] = await Promise.all([new Response(p.stdout).bytes(), new Response(p.stderr).text(), p.exited]);
        expect([...out]).toEqual([...new TextEncoder().encode("hi\n"), LSR_IDLE, 0xff]);
        expect(err).toContain("i8042 reset");
        expect(code).toBe(EXIT_REBOOT);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 30_000);
  }
});
