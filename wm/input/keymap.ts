// Linux evdev key codes (linux/input-event-codes.h) to key names and, for a US
// layout, to the characters they type with and without Shift (and Caps Lock).

export interface Mods {
  shift: boolean;
  ctrl: boolean;
  alt: boolean;
  super: boolean;
}

export interface KeyEvent {
  code: number;
  /** "a", "Enter", "ArrowUp", "F1", "Super", ... */
  key: string;
  /** The character typed (with Shift/Caps applied), or null for non-printing keys. */
  char: string | null;
  down: boolean;
  repeat: boolean;
  mods: Mods;
}

/** Printable keys: code -> [plain, shifted]. */
const PRINTABLE: Record<number, [string, string]> = {
  2: ["1", "!"], 3: ["2", "@"], 4: ["3", "#"], 5: ["4", "$"], 6: ["5", "%"], 7: ["6", "^"], 8: ["7", "&"], 9: ["8", "*"], 10: ["9", "("], 11: ["0", ")"],
  12: ["-", "_"], 13: ["=", "+"], 26: ["[", "{"], 27: ["]", "}"], 39: [";", ":"], 40: ["'", '"'], 41: ["`", "~"], 43: ["\\", "|"],
  51: [",", "<"], 52: [".", ">"], 53: ["/", "?"], 57: [" ", " "],
  55: ["*", "*"], 74: ["-", "-"], 78: ["+", "+"], 98: ["/", "/"],
};
const LETTER_ROWS: [number, string][] = [[16, "qwertyuiop"], [30, "asdfghjkl"], [44, "zxcvbnm"]];
for (const [start, row] of LETTER_ROWS) [...row].forEach((c, i) => (PRINTABLE[start + i] = [c, c.toUpperCase()]));

const NAMED: Record<number, string> = {
  1: "Escape", 14: "Backspace", 15: "Tab", 28: "Enter", 96: "Enter", 29: "Control", 97: "Control", 42: "Shift", 54: "Shift",
  56: "Alt", 100: "Alt", 58: "CapsLock", 125: "Super", 126: "Super", 102: "Home", 103: "ArrowUp", 104: "PageUp",
  105: "ArrowLeft", 106: "ArrowRight", 107: "End", 108: "ArrowDown", 109: "PageDown", 110: "Insert", 111: "Delete",
};
for (let i = 0; i < 10; i++) NAMED[59 + i] = `F${i + 1}`;
NAMED[87] = "F11";
NAMED[88] = "F12";

export const KEY = { LEFTSHIFT: 42, RIGHTSHIFT: 54, LEFTCTRL: 29, RIGHTCTRL: 97, LEFTALT: 56, RIGHTALT: 100, LEFTMETA: 125, RIGHTMETA: 126, CAPSLOCK: 58 } as const;

/** Tracks modifier state across events and turns raw key codes into KeyEvents. */
export class Keymap {
  private held = new Set<number>();
  private caps = false;

  mods(): Mods {
    const h = (a: number, b: number) => this.held.has(a) || this.held.has(b);
    return { shift: h(KEY.LEFTSHIFT, KEY.RIGHTSHIFT), ctrl: h(KEY.LEFTCTRL, KEY.RIGHTCTRL), alt: h(KEY.LEFTALT, KEY.RIGHTALT), super: h(KEY.LEFTMETA, KEY.RIGHTMETA) };
  }

  /** value: 1 press, 2 autorepeat, 0 release (evdev's EV_KEY values). */
  translate(code: number, value: number): KeyEvent {
    const down = value !== 0;
    if (down) this.held.add(code);
    else this.held.delete(code);
    if (code === KEY.CAPSLOCK && value === 1) this.caps = !this.caps;
    const mods = this.mods();
    const p = PRINTABLE[code];
    let char: string | null = null;
    let key = NAMED[code] ?? `Key${code}`;
    if (p) {
      const letter = p[0] >= "a" && p[0] <= "z";
      const shifted = letter ? mods.shift !== this.caps : mods.shift;
      char = shifted ? p[1] : p[0];
      key = p[0] === " " ? "Space" : p[0];
    }
    return { code, key, char, down, repeat: value === 2, mods };
  }
}
