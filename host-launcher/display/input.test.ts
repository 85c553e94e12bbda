import { expect, test } from "bun:test";
import { ABS_MAX, KEY, keysymToKey, toAbsolute } from "./input.ts";

test("US layout: letters, shifted symbols and function keys map to evdev codes", () => {
  expect(keysymToKey("a".charCodeAt(0))).toEqual({ code: 30, shift: false });
  expect(keysymToKey("A".charCodeAt(0))).toEqual({ code: 30, shift: true });
  expect(keysymToKey("!".charCodeAt(0))).toEqual({ code: 2, shift: true });
  expect(keysymToKey("0".charCodeAt(0))).toEqual({ code: 11, shift: false });
  expect(keysymToKey("?".charCodeAt(0))).toEqual({ code: 53, shift: true });
  expect(keysymToKey(" ".charCodeAt(0))).toEqual({ code: KEY.SPACE, shift: false });
  expect(keysymToKey(0xffeb)).toEqual({ code: KEY.LEFTMETA, shift: false }); // Super_L
  expect(keysymToKey(0xffbe)?.code).toBe(59); // F1
  expect(keysymToKey(0xffc7)?.code).toBe(68); // F10
  expect(keysymToKey(0xffc9)?.code).toBe(88); // F12
  expect(keysymToKey(0xfe20)).toEqual({ code: KEY.TAB, shift: true });
  expect(keysymToKey(0x20ac)).toBeUndefined(); // EuroSign: not on a US keyboard
});

test("pointer positions scale to the tablet's 0..32767 and clamp", () => {
  expect(toAbsolute(0, 1280)).toBe(0);
  expect(toAbsolute(1279, 1280)).toBe(ABS_MAX);
  expect(toAbsolute(5000, 1280)).toBe(ABS_MAX);
  expect(toAbsolute(640, 1281)).toBe(Math.round(ABS_MAX / 2));
  expect(toAbsolute(3, 1)).toBe(0);
});
