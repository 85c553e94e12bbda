// The QEMU command line for a tsos guest: microvm, virtio-mmio devices, erofs root.
import type { Accel } from "./accel.ts";

export interface QemuGuest {
  kernel: string;
  rootfs: string;
  accel: Accel;
  memoryMiB?: number;
  cpus?: number;
  /** Extra kernel command-line words (e.g. tsos.test=poweroff). */
  append?: string[];
  /** Where the serial console goes: "stdio" (interactive), "pipe" (QEMU's stdout, for the harness) or a file. */
  serial: "stdio" | "pipe" | { file: string };
  /** A unix socket QEMU listens on for the guest's control port (virtio-serial). */
  controlSocket?: string;
  /** The per-VM config drive (lib/vmconfig/disk.ts format), read-only. */
  configDisk?: string;
  /** With serial "stdio": also copy the console to this file. */
  serialLog?: string;
  /** User-mode networking (QEMU's slirp: DHCP, DNS, IPv6 RA) with loopback-only TCP forwards host port -> guest port. */
  net?: { forwards: { host: number; guest: number }[] };
  /** A unix socket for QMP (qmp.ts), so tools can act on the virtual hardware. */
  qmpSocket?: string;
  /** A desktop: virtio-gpu, keyboard and tablet, shown through QEMU's VNC server. */
  display?: QemuDisplay;
}

export interface QemuDisplay {
  width: number;
  height: number;
  /** VNC on 127.0.0.1:5900+display (with a password set over QMP), or on a unix socket. */
  vnc: { display: number; password: boolean } | { socket: string };
}

/** The virtio display and input devices and QEMU's VNC server, loopback or unix socket only. */
export function displayArgs(d: QemuDisplay): string[] {
  const vnc = "socket" in d.vnc ? `unix:${d.vnc.socket}` : `127.0.0.1:${d.vnc.display}${d.vnc.password ? ",password=on" : ""}`;
  return [
    // microvm's virtio-mmio defaults to legacy (0.9) devices; virtio-gpu needs a modern (1.0) transport.
    "-global", "virtio-mmio.force-legacy=false",
    "-device", `virtio-gpu-device,xres=${d.width},yres=${d.height}`,
    "-device", "virtio-keyboard-device",
    "-device", "virtio-tablet-device",
    "-vnc", vnc,
  ];
}

/** The virtio-serial port name init's control agent opens (/dev/virtio-ports/NAME). */
export const CONTROL_PORT_NAME = "org.tsos.control";

/** The command line every tsos guest boots with, whatever the host. */
export function kernelCmdline(extra: string[] = []): string {
  // reboot=t: no ACPI, so a reset (triple fault) is how the guest ends; hosts treat it as power-off.
  // panic=-1: a panic resets at once instead of hanging, and the harness reports it from the log.
  return ["console=ttyS0", "root=/dev/vda", "ro", "rootfstype=erofs", "init=/init", "reboot=t", "panic=-1", "quiet", ...extra].join(" ");
}

export function qemuArgs(g: QemuGuest): string[] {
  return [
    "qemu-system-x86_64",
    // acpi=off: the kernel has no ACPI; QEMU then lists the virtio-mmio devices on the command line.
    "-M", "microvm,acpi=off",
    ...(g.accel === "kvm" ? ["-enable-kvm", "-cpu", "host"] : ["-accel", "tcg", "-cpu", "max"]),
    "-m", `${g.memoryMiB ?? 512}`,
    "-smp", `${g.cpus ?? 1}`,
    "-nodefaults", "-no-user-config", "-nographic",
    // The guest resetting means "powered off": QEMU exits 0.
    "-no-reboot",
    "-kernel", g.kernel,
    "-append", kernelCmdline(g.append),
    "-drive", `id=root,file=${g.rootfs},format=raw,if=none,readonly=on`,
    "-device", "virtio-blk-device,drive=root",
    // Bun waits for the kernel's CRNG; a virtio-rng device makes that instant.
    "-device", "virtio-rng-device",
    ...(g.net
      ? [
          // A ULA prefix: the kernel treats slirp's default fec0::/64 as site-scoped, not global.
          "-netdev", ["user,id=net0,ipv6-net=fd00:7e05::/64", ...g.net.forwards.map((f) => `hostfwd=tcp:127.0.0.1:${f.host}-:${f.guest}`)].join(","),
          "-device", "virtio-net-device,netdev=net0",
        ]
      : []),
    ...(g.configDisk ? ["-drive", `id=config,file=${g.configDisk},format=raw,if=none,readonly=on`, "-device", "virtio-blk-device,drive=config"] : []),
    ...(g.controlSocket
      ? [
          "-device", "virtio-serial-device",
          "-chardev", `socket,id=control,path=${g.controlSocket},server=on,wait=off`,
          "-device", `virtserialport,chardev=control,name=${CONTROL_PORT_NAME}`,
        ]
      : []),
    ...(g.display ? displayArgs(g.display) : []),
    ...(g.qmpSocket ? ["-qmp", `unix:${g.qmpSocket},server=on,wait=off`] : []),
    ...(g.serial === "pipe"
      ? ["-serial", "stdio"]
      : typeof g.serial === "object"
      ? ["-serial", `file:${g.serial.file}`]
      : // The terminal gets the console and QEMU's monitor (Ctrl-A C); Ctrl-A X quits.
        ["-chardev", `stdio,id=console,mux=on,signal=off${g.serialLog ? `,logfile=${g.serialLog}` : ""}`, "-serial", "chardev:console", "-mon", "chardev=console"]),
  ];
}
