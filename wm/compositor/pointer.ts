// The pointer sprite: an arrow drawn last in every frame that touches it.
import type { Surface } from "../gfx/surface.ts";
import type { Rect } from "../gfx/rect.ts";

const ARROW = [
  "X...........",
  "XX..........",
  "XOX.........",
  "XOOX........",
  "XOOOX.......",
  "XOOOOX......",
  "XOOOOOX.....",
  "XOOOOOOX....",
  "XOOOOOOOX...",
  "XOOOOOOOOX..",
  "XOOOOOXXXXX.",
  "XOOXOOX.....",
  "XOX.XOOX....",
  "XX..XOOX....",
  "X....XOOX...",
  ".....XOOX...",
  "......XX....",
];

export const POINTER_W = ARROW[0]!.length;
export const POINTER_H = ARROW.length;

export function pointerRect(x: number, y: number): Rect {
  return { x, y, w: POINTER_W, h: POINTER_H };
}

export function drawPointer(s: Surface, x: number, y: number): void {
  for (let row = 0; row < POINTER_H; row++) {
    const line = ARROW[row]!;
    for (let col = 0; col < POINTER_W; col++) {
      const c = line[col];
      if (c === ".") continue;
      s.fill({ x: x + col, y: y + row, w: 1, h: 1 }, c === "X" ? 0x000000 : 0xffffff);
    }
  }
}
