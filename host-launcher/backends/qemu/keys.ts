// Typing into a QEMU guest through QMP's input-send-event: text and named keys
// to QEMU key codes (qcodes), each pressed and released like a user would.
import type { Qmp } from "./qmp.ts";

const SHIFTED: Record<string, string> = {
  "!": "1", "@": "2", "#": "3", "$": "4", "%": "5", "^": "6", "&": "7", "*": "8", "(": "9", ")": "0",
  _: "minus", "+": "equal", "{": "bracket_left", "}": "bracket_right", ":": "semicolon", '"': "apostrophe",
  "~": "grave_accent", "|": "backslash", "<": "comma", ">": "dot", "?": "slash",
};
const PLAIN: Record<string, string> = {
  " ": "spc", "\n": "ret", "\t": "tab", "-": "minus", "=": "equal", "[": "bracket_left", "]": "bracket_right", ";": "semicolon",
  "'": "apostrophe", "`": "grave_accent", "\\": "backslash", ",": "comma", ".": "dot", "/": "slash",
};

/** The qcodes for one character: [key] or ["shift", key]. */
export function charQcodes(ch: string): string[] {
  if (/^[a-z0-9]$/.test(ch)) return [ch];
  if (/^[A-Z]$/.test(ch)) return ["shift", ch.toLowerCase()];
  if (PLAIN[ch]) return [PLAIN[ch]];
  if (SHIFTED[ch]) return ["shift", SHIFTED[ch]];
  throw new Error(`no US key for ${JSON.stringify(ch)}`);
}

const keyEvent = (q: string, down: boolean) => ({ type: "key", data: { down, key: { type: "qcode", data: q } } });

/** Press a chord (e.g. ["meta_l"], ["ctrl", "shift", "c"]) and release it in reverse. */
export async function pressKeys(qmp: Qmp, qcodes: string[], holdMs = 20): Promise<void> {
  await qmp.execute("input-send-event", { events: qcodes.map((q) => keyEvent(q, true)) });
  await Bun.sleep(holdMs);
  await qmp.execute("input-send-event", { events: [...qcodes].reverse().map((q) => keyEvent(q, false)) });
}

export async function typeText(qmp: Qmp, text: string, gapMs = 30): Promise<void> {
  for (const ch of text) {
    await pressKeys(qmp, charQcodes(ch));
    await Bun.sleep(gapMs);
  }
}

/** Move the tablet pointer to screen pixel (x, y) of a width x height display. */
export async function movePointer(qmp: Qmp, x: number, y: number, width: number, height: number): Promise<void> {
  const abs = (v: number, size: number) => Math.round((v * 0x7fff) / Math.max(1, size - 1));
  await qmp.execute("input-send-event", { events: [{ type: "abs", data: { axis: "x", value: abs(x, width) } }, { type: "abs", data: { axis: "y", value: abs(y, height) } }] });
}

export async function clickButton(qmp: Qmp, button: "left" | "right" | "middle" = "left"): Promise<void> {
  await qmp.execute("input-send-event", { events: [{ type: "btn", data: { down: true, button } }] });
  await Bun.sleep(20);
  await qmp.execute("input-send-event", { events: [{ type: "btn", data: { down: false, button } }] });
}
