/* Prints the <linux/kvm.h> facts structs.ts and ioctl.ts hard-code, one "name value"
   per line, so structs.test.ts can compare them with the C compiler's answer. */
#include <linux/kvm.h>
#include <stddef.h>
#include <stdio.h>

#define SZ(t) printf("size.%s %zu\n", #t, sizeof(struct t))
#define OFF(t, f, name) printf("run.%s %zu\n", name, offsetof(struct t, f))
#define EV(f, name) printf("events.%s %zu\n", name, offsetof(struct kvm_vcpu_events, f))
#define IOCTL(n) printf("ioctl.%s %lu\n", #n, (unsigned long)KVM_##n)
#define CAP(n) printf("cap.%s %d\n", #n, KVM_CAP_##n)
#define EXIT(n) printf("exit.%s %d\n", #n, KVM_EXIT_##n)

int main(void) {
  SZ(kvm_regs); SZ(kvm_segment); SZ(kvm_dtable); SZ(kvm_sregs); SZ(kvm_userspace_memory_region);
  SZ(kvm_cpuid_entry2); SZ(kvm_cpuid2); SZ(kvm_msr_entry); SZ(kvm_msrs); SZ(kvm_pit_config);
  SZ(kvm_irq_level); SZ(kvm_irqfd); SZ(kvm_vcpu_events);
  OFF(kvm_run, immediate_exit, "immediate_exit"); OFF(kvm_run, exit_reason, "exit_reason"); OFF(kvm_run, if_flag, "if_flag");
  OFF(kvm_run, io.direction, "io_direction"); OFF(kvm_run, io.size, "io_size"); OFF(kvm_run, io.port, "io_port");
  OFF(kvm_run, io.count, "io_count"); OFF(kvm_run, io.data_offset, "io_data_offset");
  OFF(kvm_run, mmio.phys_addr, "mmio_phys_addr"); OFF(kvm_run, mmio.data, "mmio_data"); OFF(kvm_run, mmio.len, "mmio_len");
  OFF(kvm_run, mmio.is_write, "mmio_is_write"); OFF(kvm_run, system_event.type, "system_event_type");
  OFF(kvm_run, system_event.ndata, "system_event_ndata"); OFF(kvm_run, system_event.data, "system_event_data");
  OFF(kvm_run, internal.suberror, "internal_suberror"); OFF(kvm_run, internal.ndata, "internal_ndata");
  OFF(kvm_run, internal.data, "internal_data"); OFF(kvm_run, debug.arch.exception, "debug_exception");
  OFF(kvm_run, emulation_failure.insn_size, "emulation_insn_size"); OFF(kvm_run, emulation_failure.insn_bytes, "emulation_insn_bytes");
  OFF(kvm_run, debug.arch.pc, "debug_pc"); OFF(kvm_run, fail_entry.hardware_entry_failure_reason, "fail_entry_reason");
  EV(exception.injected, "exception_injected"); EV(exception.nr, "exception_nr"); EV(exception.has_error_code, "exception_has_error_code");
  EV(exception.pending, "exception_pending"); EV(exception.error_code, "exception_error_code"); EV(flags, "flags");
  IOCTL(GET_API_VERSION); IOCTL(CREATE_VM); IOCTL(CHECK_EXTENSION); IOCTL(GET_VCPU_MMAP_SIZE); IOCTL(GET_SUPPORTED_CPUID);
  IOCTL(CREATE_VCPU); IOCTL(SET_USER_MEMORY_REGION); IOCTL(SET_TSS_ADDR); IOCTL(SET_IDENTITY_MAP_ADDR); IOCTL(CREATE_IRQCHIP);
  IOCTL(IRQ_LINE); IOCTL(IRQFD); IOCTL(CREATE_PIT2); IOCTL(RUN); IOCTL(GET_REGS); IOCTL(SET_REGS); IOCTL(GET_SREGS);
  IOCTL(SET_SREGS); IOCTL(GET_MSRS); IOCTL(SET_MSRS); IOCTL(SET_CPUID2); IOCTL(GET_VCPU_EVENTS); IOCTL(SET_VCPU_EVENTS);
  CAP(IRQCHIP); CAP(HLT); CAP(USER_MEMORY); CAP(SET_TSS_ADDR); CAP(EXT_CPUID); CAP(NR_VCPUS); CAP(PIT2); CAP(IRQFD);
  CAP(IOEVENTFD); CAP(SET_IDENTITY_MAP_ADDR); CAP(MAX_VCPUS); CAP(IMMEDIATE_EXIT);
  EXIT(UNKNOWN); EXIT(EXCEPTION); EXIT(IO); EXIT(HYPERCALL); EXIT(DEBUG); EXIT(HLT); EXIT(MMIO); EXIT(IRQ_WINDOW_OPEN);
  EXIT(SHUTDOWN); EXIT(FAIL_ENTRY); EXIT(INTR); EXIT(INTERNAL_ERROR); EXIT(SYSTEM_EVENT);
  printf("api_version %d\n", KVM_API_VERSION);
  return 0;
}
