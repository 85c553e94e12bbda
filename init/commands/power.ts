// poweroff / reboot: ask init for an orderly shutdown.
import { runCommand, withInit } from "./local.ts";

export function powerCommand(op: "shutdown" | "reboot") {
  const name = op === "shutdown" ? "poweroff" : "reboot";
  return (args: string[]): Promise<number> =>
    runCommand(name, async () => {
      if (args.includes("--help") || args.includes("-h")) {
        console.log(`usage: ${name}\n${op === "shutdown" ? "Stop all services and power the machine off." : "Stop all services and restart the machine."}`);
        return 0;
      }
      await withInit((c) => c.call(op));
      return 0;
    });
}

export const poweroff = powerCommand("shutdown");
export const reboot = powerCommand("reboot");
