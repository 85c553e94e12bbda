// What the broker does with a viewer's keyboard and mouse: X11 keysyms (what
// RFB carries) become Linux evdev key codes on a US layout, and pointer
// positions become the 0..32767 absolute axis of a virtio tablet.

/** Implemented by the launcher's virtio-input keyboard and tablet. */
export interface InputSink {
  /** A Linux evdev key code (linux/input-event-codes.h) pressed or released. */
  key(code: number, down: boolean): void;
  /**
   * Absolute position, both axes 0..ABS_MAX, and the RFB button mask:
   * bit 0 left, 1 middle, 2 right, 3 wheel up, 4 wheel down.
   */
  pointer(x: number, y: number, buttons: number): void;
}

export const ABS_MAX = 32767;

export const KEY = {
  ESC: 1, BACKSPACE: 14, TAB: 15, ENTER: 28, LEFTCTRL: 29, LEFTSHIFT: 42, RIGHTSHIFT: 54,
  LEFTALT: 56, SPACE: 57, CAPSLOCK: 58, LEFTMETA: 125, RIGHTMETA: 126,
} as const;

/** A key and whether the character needs Shift held (US layout). */
export interface KeyStroke {
  code: number;
  shift: boolean;
}

// Printable ASCII on a US keyboard: [unshifted, shifted, evdev code].
const PRINTABLE: ReadonlyArray<readonly [string, string, number]> = [
  ["1", "!", 2], ["2", "@", 3], ["3", "#", 4], ["4", "$", 5], ["5", "%", 6], ["6", "^", 7],
  ["7", "&", 8], ["8", "*", 9], ["9", "(", 10], ["0", ")", 11], ["-", "_", 12], ["=", "+", 13],
  ["q", "Q", 16], ["w", "W", 17], ["e", "E", 18], ["r", "R", 19], ["t", "T", 20], ["y", "Y", 21],
  ["u", "U", 22], ["i", "I", 23], ["o", "O", 24], ["p", "P", 25], ["[", "{", 26], ["]", "}", 27],
  ["a", "A", 30], ["s", "S", 31], ["d", "D", 32], ["f", "F", 33], ["g", "G", 34], ["h", "H", 35],
  ["j", "J", 36], ["k", "K", 37], ["l", "L", 38], [";", ":", 39], ["'", '"', 40], ["`", "~", 41],
  ["\\", "|", 43], ["z", "Z", 44], ["x", "X", 45], ["c", "C", 46], ["v", "V", 47], ["b", "B", 48],
  ["n", "N", 49], ["m", "M", 50], [",", "<", 51], [".", ">", 52], ["/", "?", 53], [" ", " ", 57],
];

// Function and modifier keysyms (X11 keysymdef.h) → evdev.
const SPECIAL: ReadonlyArray<readonly [number, number]> = [
  [0xff08, KEY.BACKSPACE], [0xff09, KEY.TAB], [0xff0d, KEY.ENTER], [0xff1b, KEY.ESC], [0xffff, 111],
  [0xff13, 119], [0xff14, 70], [0xff61, 99], [0xff67, 127], [0xff7f, 69],
  [0xff50, 102], [0xff51, 105], [0xff52, 103], [0xff53, 106], [0xff54, 108], [0xff55, 104],
  [0xff56, 109], [0xff57, 107], [0xff63, 110],
  [0xffe1, KEY.LEFTSHIFT], [0xffe2, KEY.RIGHTSHIFT], [0xffe3, KEY.LEFTCTRL], [0xffe4, 97],
  [0xffe5, KEY.CAPSLOCK], [0xffe7, KEY.LEFTMETA], [0xffe8, KEY.RIGHTMETA], [0xffe9, KEY.LEFTALT],
  [0xffea, 100], [0xffeb, KEY.LEFTMETA], [0xffec, KEY.RIGHTMETA], [0xfe03, 100],
  // Keypad: Enter, * + - . / and 0..9.
  [0xff8d, 96], [0xffaa, 55], [0xffab, 78], [0xffad, 74], [0xffae, 83], [0xffaf, 98],
  [0xffb0, 82], [0xffb1, 79], [0xffb2, 80], [0xffb3, 81], [0xffb4, 75], [0xffb5, 76],
  [0xffb6, 77], [0xffb7, 71], [0xffb8, 72], [0xffb9, 73],
  // F1..F10 are contiguous in both tables; F11 and F12 are not.
  ...Array.from({ length: 10 }, (_, i) => [0xffbe + i, 59 + i] as const),
  [0xffc8, 87], [0xffc9, 88],
];

const TABLE = new Map<number, KeyStroke>();
for (const [plain, shifted, code] of PRINTABLE) {
  TABLE.set(shifted.charCodeAt(0), { code, shift: plain !== shifted });
  TABLE.set(plain.charCodeAt(0), { code, shift: false });
}
for (const [sym, code] of SPECIAL) TABLE.set(sym, { code, shift: false });
TABLE.set(0xfe20, { code: KEY.TAB, shift: true }); // ISO_Left_Tab: what X sends for Shift+Tab

/** The key (and Shift) that types `keysym` on a US layout; undefined if none does. */
export function keysymToKey(keysym: number): KeyStroke | undefined {
  return TABLE.get(keysym);
}

/** A pixel position on a `size`-pixel axis as the tablet's 0..ABS_MAX. */
export function toAbsolute(pos: number, size: number): number {
  if (size <= 1) return 0;
  const p = Math.min(Math.max(pos, 0), size - 1);
  return Math.round((p * ABS_MAX) / (size - 1));
}

/**
 * One viewer's keyboard and pointer, turned into InputSink calls: adds the
 * Shift a character needs when the viewer did not hold it, and remembers
 * what is held so a viewer that goes away leaves nothing pressed.
 */
export class ViewerInput {
  private readonly down = new Set<number>();
  private last = { x: 0, y: 0, buttons: 0 };

  constructor(private readonly sink: InputSink) {}

  key(keysym: number, down: boolean): void {
    const k = keysymToKey(keysym);
    if (!k) return; // a keysym a US keyboard cannot type: nothing to press
    const shiftHeld = this.down.has(KEY.LEFTSHIFT) || this.down.has(KEY.RIGHTSHIFT);
    if (down && k.shift && !shiftHeld) {
      this.sink.key(KEY.LEFTSHIFT, true);
      this.sink.key(k.code, true);
      this.sink.key(KEY.LEFTSHIFT, false);
    } else if (down || this.down.has(k.code)) this.sink.key(k.code, down);
    if (down) this.down.add(k.code);
    else this.down.delete(k.code);
  }

  /** A pixel position on a width×height screen, with the RFB button mask. */
  pointer(x: number, y: number, buttons: number, width: number, height: number): void {
    this.last = { x: toAbsolute(x, width), y: toAbsolute(y, height), buttons };
    this.sink.pointer(this.last.x, this.last.y, buttons);
  }

  releaseAll(): void {
    for (const code of this.down) this.sink.key(code, false);
    this.down.clear();
    if (this.last.buttons !== 0) this.sink.pointer(this.last.x, this.last.y, 0);
    this.last.buttons = 0;
  }
}
