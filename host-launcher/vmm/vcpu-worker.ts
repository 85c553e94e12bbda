// The body of one vCPU Worker: open the vCPU, set CPUID (and the boot registers on
// vCPU 0), then loop in KVM_RUN, forwarding I/O and MMIO to the main thread.
declare const self: Worker;
import { filterCpuid } from "../boot/x86_64/cpuid.ts";
import { KvmVcpu } from "../backends/kvm/vcpu.ts";
import { applyBootRegisters } from "./boot-state.ts";
import { awaitAnswer, beginWait, type FromVcpu, type VcpuStart } from "./protocol.ts";

const BP_VECTOR = 3;
const INT3 = 0xcc;

/**
 * kvm_pvm's emulator gives up on the guest's own INT3 (the kernel uses it for its
 * alternatives self-test and for live text patching). INT3 is a trap: the guest's
 * #BP handler expects RIP after the instruction, so step over it and inject #BP.
 */
function reflectInt3(vcpu: KvmVcpu): void {
  const r = vcpu.getRegs();
  vcpu.setRegs({ ...r, rip: r.rip + 1n });
  vcpu.injectException(BP_VECTOR);
}

const post = (m: FromVcpu) => self.postMessage(m);

self.onmessage = (ev: MessageEvent<VcpuStart>) => {
  const s = ev.data;
  let vcpu: KvmVcpu | undefined;
  try {
    vcpu = KvmVcpu.create(s.sysFd, s.vmFd, s.index, s.mmapSize);
    vcpu.setCpuFeatures((entries, apicId, cpuCount) => filterCpuid(entries, { apicId, cpuCount, hideXsave: s.hideXsave, kvmSignature: true }), s.cpuCount);
    if (s.boot) applyBootRegisters(vcpu, s.boot);
    post({ t: "ready", index: s.index });
    runLoop(vcpu, s);
  } catch (e) {
    post({ t: "stop", index: s.index, exit: { kind: "error", message: (e as Error).message } });
  } finally {
    vcpu?.destroy();
  }
};

function runLoop(vcpu: KvmVcpu, s: VcpuStart): void {
  for (;;) {
    const exit = vcpu.run();
    switch (exit.kind) {
      case "io":
      case "mmio":
        if (exit.write) post({ t: "exit", index: s.index, exit, needsReply: false });
        else {
          beginWait(s.shared);
          post({ t: "exit", index: s.index, exit, needsReply: true });
          vcpu.complete(awaitAnswer(s.shared));
        }
        break;
      case "interrupted":
        break;
      case "internal-error":
        if (exit.instruction?.[0] === INT3) {
          reflectInt3(vcpu);
          break;
        }
        post({ t: "stop", index: s.index, exit: { ...exit, rip: vcpu.getRegs().rip } });
        return;
      default:
        post({ t: "stop", index: s.index, exit });
        return;
    }
  }
}
