// A key press to the bytes a terminal sends to its program (xterm conventions).
import type { KeyEvent } from "../../input/keymap.ts";

const CSI = "\x1b[";

export function keyBytes(e: KeyEvent, appCursor: boolean): string | null {
  if (!e.down) return null;
  const arrow = (c: string) => (appCursor && !e.mods.shift && !e.mods.ctrl ? `\x1bO${c}` : e.mods.ctrl ? `${CSI}1;5${c}` : `${CSI}${c}`);
  switch (e.key) {
    case "Enter": return "\r";
    case "Backspace": return e.mods.ctrl ? "\x08" : "\x7f";
    case "Tab": return e.mods.shift ? `${CSI}Z` : "\t";
    case "Escape": return "\x1b";
    case "ArrowUp": return arrow("A");
    case "ArrowDown": return arrow("B");
    case "ArrowRight": return arrow("C");
    case "ArrowLeft": return arrow("D");
    case "Home": return `${CSI}H`;
    case "End": return `${CSI}F`;
    case "Insert": return `${CSI}2~`;
    case "Delete": return `${CSI}3~`;
    case "PageUp": return `${CSI}5~`;
    case "PageDown": return `${CSI}6~`;
  }
  const f = /^F(\d+)$/.exec(e.key);
  if (f) return ["\x1bOP", "\x1bOQ", "\x1bOR", "\x1bOS", `${CSI}15~`, `${CSI}17~`, `${CSI}18~`, `${CSI}19~`, `${CSI}20~`, `${CSI}21~`, `${CSI}23~`, `${CSI}24~`][Number(f[1]) - 1] ?? null;
  if (!e.char) return null;
  if (e.mods.ctrl) {
    const c = e.char.toLowerCase();
    if (c >= "a" && c <= "z") return String.fromCharCode(c.charCodeAt(0) - 96);
    const ctl: Record<string, string> = { "[": "\x1b", "\\": "\x1c", "]": "\x1d", " ": "\x00", "/": "\x1f", "2": "\x00", "6": "\x1e", "-": "\x1f" };
    return ctl[e.char] ?? null;
  }
  return e.mods.alt ? `\x1b${e.char}` : e.char;
}
