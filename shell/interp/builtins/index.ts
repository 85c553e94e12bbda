// Shell-intrinsic builtins: the ones that act on the shell itself. Special
// builtins (POSIX 2.14) are found before functions; the rest after them.
import type { Command } from "../../commands/types.ts";
import { flowBuiltins, specialFlow } from "./flow.ts";
import { jobBuiltins } from "./jobctl.ts";
import { specialVars, varBuiltins } from "./vars.ts";

export const SPECIAL = new Map<string, Command>([...specialFlow, ...specialVars].map((c) => [c.name, c]));
const REGULAR = new Map<string, Command>([...flowBuiltins, ...varBuiltins, ...jobBuiltins].map((c) => [c.name, c]));

export function intrinsic(name: string): Command | undefined {
  return REGULAR.get(name);
}

export function intrinsicNames(): string[] {
  return [...SPECIAL.keys(), ...REGULAR.keys()];
}

