// A Linux guest on the native hypervisor: guest RAM, the boot structures
// (boot/x86_64 setupLinuxBoot), the device model on the main thread (COM1 8250,
// i8042 reset, virtio-mmio blk/rng/console/net and, with a display, input in the MMIO
// hole, declared on the command line; the framebuffer as its own memory slot, screen.ts)
// and one Worker per vCPU (protocol.ts says why).
import { MAP, mmap, munmap, PROT, type Mapping } from "../../lib/ffi/libc.ts";
import { KvmHypervisor, type KvmPartition } from "../backends/kvm/kvm.ts";
import { Cmdline } from "../boot/x86_64/cmdline.ts";
import { COM1_IRQ, COM1_PORT, MiB, ramRegions } from "../boot/x86_64/layout.ts";
import { CONTROL_PORT_NAME } from "../backends/qemu/args.ts";
import { setupLinuxBoot, type LinuxBoot } from "../boot/x86_64/linux.ts";
import { Bus, type InterruptLine } from "../devices/bus.ts";
import { I8042, I8042_BASE, I8042_SIZE } from "../devices/i8042.ts";
import { GuestMemory } from "../devices/memory.ts";
import { Uart8250 } from "../devices/uart8250.ts";
import { VirtioBlk } from "../devices/virtio/blk.ts";
import type { VirtioDevice } from "../devices/virtio/device.ts";
import { attachVirtioMmio } from "../devices/virtio/attach.ts";
import { servePortOnUnixSocket, VirtioConsole } from "../devices/virtio/console.ts";
import { VirtioNet } from "../devices/virtio/net.ts";
import { VirtioRng } from "../devices/virtio/rng.ts";
import { VirtioVsock } from "../devices/virtio/vsock.ts";
import { serveVsockOnUnixSocket } from "../devices/virtio/vsock-unix.ts";
import { startPasst, type PasstNet } from "../devices/net/passt.ts";
import { dispatchExit, type Buses } from "./io-dispatch.ts";
import { answer, sharedBlock, type FromVcpu, type VcpuStart } from "./protocol.ts";
import { VmScreen, type ScreenSize } from "./screen.ts";

export const MAX_CPUS = 4;
const UART_PORTS = 8;
/** The kernel command line's capacity for a vmlinux (x86 COMMAND_LINE_SIZE). */
const CMDLINE_CAPACITY = 2048;
/** A locally administered MAC (QEMU's default prefix, as the guest sees under the harness). */
const GUEST_MAC = "52:54:00:12:34:56";

/**
 * Kernel parameters for this project's emulation-grade KVM (kvm_pvm): its instruction
 * emulator has no XRSTOR (noxsave) and mishandles POPCNT and SMAP (clearcpuid). The rest
 * save boot time where every instruction costs ~1 µs: expedited RCU grace periods, no TSC
 * re-validation against other clocks, no timer-IRQ check. Applied only when asked.
 */
export const EMULATED_KVM_WORKAROUNDS = ["noxsave", "clearcpuid=popcnt,smap", "rcupdate.rcu_expedited=1", "tsc=reliable", "no_timer_check"];

export interface DiskSpec {
  path: string;
  readOnly: boolean;
  serial?: string;
}

export interface LinuxVmConfig {
  kernel: Uint8Array;
  initrd?: Uint8Array;
  memoryMiB: number;
  cpus: number;
  /** virtio-blk disks: the first is the root (vda). */
  disks: DiskSpec[];
  rng: boolean;
  /** User-mode network through passt, with loopback TCP forwards (ssh). */
  net?: { forwards: { host: number; guest: number }[] };
  /** Serve the guest's control port (virtio-console port org.tsos.control) on this unix socket. */
  controlSocket?: string;
  /** virtio-vsock (guest CID) with the Firecracker-style host unix socket (vsock-unix.ts). */
  vsock?: { guestCid: number; socket: string };
  /** Extra kernel parameters, after the launcher's own. */
  cmdline: string[];
  /** Serial console output (COM1). */
  console: (bytes: Uint8Array) => void;
  /** Hide XSAVE from CPUID and add EMULATED_KVM_WORKAROUNDS to the command line. */
  emulatedKvm: boolean;
  /** A simple-framebuffer of this size plus a virtio-input keyboard and tablet (`screen`). */
  display?: ScreenSize;
}

export type VmStop =
  | { kind: "poweroff" | "reboot"; detail: string }
  | { kind: "crash" | "error"; detail: string };

export class LinuxVm {
  readonly stopped: Promise<VmStop>;
  readonly boot: LinuxBoot;
  readonly cmdline: string;
  private resolveStop!: (s: VmStop) => void;
  private readonly workers: Worker[] = [];
  private readonly shared: SharedArrayBuffer[] = [];
  private readonly uart: Uart8250;
  private readonly buses: Buses;
  private readonly closers: (() => void)[] = [];
  private done = false;

  private constructor(
    private readonly cfg: LinuxVmConfig,
    private readonly hv: KvmHypervisor,
    private readonly part: KvmPartition,
    ram: Mapping,
    passt: PasstNet | undefined,
    /** The framebuffer and input devices, when cfg.display asked for them. */
    readonly screen: VmScreen | undefined,
  ) {
    this.stopped = new Promise((r) => (this.resolveStop = r));
    const memory = new GuestMemory(ramRegions(ram.length).map((r) => ({ gpa: r.gpa, bytes: ram.bytes.subarray(r.hostOffset, r.hostOffset + r.size) })));
    this.buses = { pio: new Bus("pio"), mmio: new Bus("mmio") };
    this.uart = new Uart8250({ irq: { set: (level) => this.part.setIrqLine(COM1_IRQ, level) }, output: cfg.console });
    this.buses.pio.insert(COM1_PORT, UART_PORTS, this.uart, "com1");
    this.buses.pio.insert(I8042_BASE, I8042_SIZE, new I8042(() => this.stop({ kind: "reboot", detail: "i8042 reset (0xfe to port 0x64)" })), "i8042");
    const devices: VirtioDevice[] = [];
    for (const d of cfg.disks) {
      const blk = new VirtioBlk(d);
      this.closers.push(() => blk.close());
      devices.push(blk);
    }
    if (cfg.rng) devices.push(new VirtioRng());
    if (cfg.controlSocket) {
      const con = new VirtioConsole({ ports: [{ name: CONTROL_PORT_NAME }] });
      const server = servePortOnUnixSocket(con.port(CONTROL_PORT_NAME), cfg.controlSocket);
      this.closers.push(() => server.close());
      devices.push(con);
    }
    if (cfg.vsock) {
      const vsock = new VirtioVsock({ guestCid: cfg.vsock.guestCid });
      const server = serveVsockOnUnixSocket(vsock, cfg.vsock.socket);
      this.closers.push(() => server.close());
      devices.push(vsock);
    }
    if (passt) {
      devices.push(new VirtioNet({ mac: GUEST_MAC, backend: passt }));
      this.closers.push(() => passt.close());
    }
    // After the disks, so the root stays virtio0 (vda).
    if (screen) devices.push(screen.keyboard, screen.tablet);
    const cmd = new Cmdline(CMDLINE_CAPACITY).add(`console=ttyS0 earlycon=uart8250,io,0x${COM1_PORT.toString(16)}`);
    // The root disk is attached first, so it is virtio0 and the guest's vda.
    const attached = attachVirtioMmio(this.buses.mmio, memory, devices, { line: (irq) => this.edgeLine(irq) });
    for (const a of attached) cmd.add(a.cmdline);
    if (cfg.disks.length) cmd.add(`root=/dev/vda ${cfg.disks[0]!.readOnly ? "ro" : "rw"} rootfstype=erofs init=/init`);
    // No ACPI: a triple fault is how the guest resets (init prints whether it meant reboot or power-off).
    cmd.add("reboot=t panic=-1");
    // On hardware KVM every console byte is a few exits to the main thread: keep the kernel quiet as under QEMU.
    // On emulation-grade KVM the full log is the record of how far the boot got.
    cmd.add(cfg.emulatedKvm ? EMULATED_KVM_WORKAROUNDS.join(" ") : "quiet");
    for (const p of cfg.cmdline) cmd.add(p);
    this.cmdline = cmd.toString();
    this.boot = setupLinuxBoot({ memory: ram.bytes, kernel: cfg.kernel, ...(cfg.initrd ? { initrd: cfg.initrd } : {}), cmdline: this.cmdline, cpus: cfg.cpus, ...(screen ? { framebuffer: screen.region } : {}) });
  }

  /** Build the VM and start its vCPUs; `stopped` resolves when the guest powers off, resets or fails. */
  static async start(cfg: LinuxVmConfig): Promise<LinuxVm> {
    if (!Number.isInteger(cfg.cpus) || cfg.cpus < 1 || cfg.cpus > MAX_CPUS) throw new Error(`--cpus must be 1..${MAX_CPUS}`);
    const passt = cfg.net ? await startPasst({ forwards: cfg.net.forwards }) : undefined;
    const hv = new KvmHypervisor();
    const undo: (() => void)[] = [() => hv.close(), () => passt?.close()];
    try {
      const part = hv.createPartition({ irqchip: true });
      undo.unshift(() => part.destroy());
      const ram = mmap(cfg.memoryMiB * MiB, PROT.READ | PROT.WRITE, MAP.PRIVATE | MAP.ANONYMOUS | MAP.NORESERVE);
      undo.push(() => munmap(ram));
      const regions = ramRegions(ram.length);
      regions.forEach((r, slot) => part.mapMemory({ slot, guestAddr: BigInt(r.gpa), host: { address: ram.address + r.hostOffset, length: r.size } }));
      // Like guest RAM, the framebuffer lives until the process exits (a vCPU may still be in KVM_RUN).
      const screen = cfg.display ? VmScreen.create(cfg.display) : undefined;
      if (screen) undo.push(() => munmap(screen.mapping));
      screen?.mapInto(part, regions.length);
      const vm = new LinuxVm(cfg, hv, part, ram, passt, screen);
      vm.startVcpus();
      return vm;
    } catch (e) {
      for (const u of undo) u();
      throw e;
    }
  }

  /** Console input from the host; returns how many bytes the UART took. */
  input(bytes: Uint8Array): number {
    return this.uart.receive(bytes);
  }

  /** ISA interrupts are edge-triggered in our MP table: each assert is one pulse. */
  private edgeLine(irq: number): InterruptLine {
    return {
      assert: () => {
        this.part.setIrqLine(irq, true);
        this.part.setIrqLine(irq, false);
      },
      deassert: () => {},
    };
  }

  private startVcpus(): void {
    for (let i = 0; i < this.cfg.cpus; i++) {
      const shared = sharedBlock();
      const w = new Worker(new URL("./vcpu-worker.ts", import.meta.url).href);
      w.onmessage = (ev: MessageEvent<FromVcpu>) => this.onVcpuMessage(ev.data);
      w.onerror = (ev) => this.stop({ kind: "error", detail: `vCPU ${i} worker: ${ev.message}` });
      const start: VcpuStart = { sysFd: this.hv.sysFd, vmFd: this.part.vmFd, mmapSize: this.part.mmapSize, index: i, cpuCount: this.cfg.cpus, hideXsave: this.cfg.emulatedKvm, shared, ...(i === 0 ? { boot: this.boot.registers } : {}) };
      w.postMessage(start);
      this.workers.push(w);
      this.shared.push(shared);
    }
  }

  private onVcpuMessage(m: FromVcpu): void {
    if (this.done) return;
    switch (m.t) {
      case "exit": {
        let reply: Uint8Array;
        try {
          reply = dispatchExit(this.buses, m.exit);
        } catch (e) {
          // A device must never take the launcher down; the guest sees all-ones.
          reply = new Uint8Array(m.exit.kind === "io" ? m.exit.size * m.exit.count : m.exit.size).fill(0xff);
          console.error(`tsos: device error at ${m.exit.kind === "io" ? `port 0x${m.exit.port.toString(16)}` : `0x${m.exit.addr.toString(16)}`}: ${(e as Error).message}`);
        }
        if (m.needsReply) answer(this.shared[m.index]!, reply);
        return;
      }
      case "ready":
        return;
      case "stop": {
        const x = m.exit;
        if (x.kind === "shutdown") return this.stop({ kind: "reboot", detail: `vCPU ${m.index}: ${x.reason}` });
        if (x.kind === "system-event") return this.stop(x.event === "shutdown" ? { kind: "poweroff", detail: "system event: shutdown" } : x.event === "reset" ? { kind: "reboot", detail: "system event: reset" } : { kind: "crash", detail: `system event ${x.event} (${x.code})` });
        if (x.kind === "error") return this.stop({ kind: "error", detail: `vCPU ${m.index}: ${x.message}` });
        return this.stop({ kind: "crash", detail: `vCPU ${m.index} stopped: ${describeExit(x)}` });
      }
    }
  }

  private stop(s: VmStop): void {
    if (this.done) return;
    this.done = true;
    this.resolveStop(s);
  }

  /**
   * Tear down what can be torn down while vCPU threads may still sit in KVM_RUN:
   * a thread blocked there cannot be joined, so guest RAM and the VM stay until the
   * process exits (the launcher runs one VM per process for this reason).
   */
  close(): void {
    this.stop({ kind: "poweroff", detail: "closed by the host" });
    for (const w of this.workers) w.terminate();
    for (const c of this.closers) c();
  }
}

function describeExit(x: { kind: string } & Record<string, unknown>): string {
  return JSON.stringify(x, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v instanceof Uint8Array ? Array.from(v) : v));
}
