// The slice of the PC keyboard controller (i8042, ports 0x60 and 0x64) a VMM needs:
// a guest that resets the machine by writing 0xfe to the command port (Linux reboot=k)
// is reported, and reads see an empty, idle controller. No keyboard is emulated.
import type { BusDevice } from "./bus.ts";

export const I8042_BASE = 0x60;
export const I8042_SIZE = 5; // 0x60 data .. 0x64 status/command
const COMMAND = 4;
const CMD_RESET = 0xfe;

export class I8042 implements BusDevice {
  constructor(private readonly onReset: () => void) {}

  read(_offset: number, data: Uint8Array): void {
    data.fill(0); // status: output buffer empty, input buffer empty
  }

  write(offset: number, data: Uint8Array): void {
    if (offset === COMMAND && data[0] === CMD_RESET) this.onReset();
  }
}
