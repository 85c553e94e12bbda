// The help overlay: every shortcut, from the same table the manager dispatches on.
import type { BitmapFont } from "../font/psf.ts";
import type { Rect } from "../gfx/rect.ts";
import type { Surface } from "../gfx/surface.ts";
import type { Theme } from "../theme.ts";
import { MOUSE_HELP, SHORTCUTS } from "./shortcuts.ts";

const W = 640;

function lines(): string[] {
  const keyed = SHORTCUTS.filter((s) => s.keys).map((s) => `${s.keys.padEnd(22)}${s.what}`);
  return ["Keyboard shortcuts", "", ...keyed, "", ...MOUSE_HELP];
}

export function helpRect(screen: { width: number; height: number }): Rect {
  const h = lines().length * 18 + 20;
  return { x: Math.round((screen.width - W) / 2), y: Math.round((screen.height - h) / 2), w: W, h };
}

export function drawHelp(s: Surface, font: BitmapFont, t: Theme): void {
  const r = helpRect(s);
  s.withClip(r, () => {
    s.fill(r, t.overlayBg);
    s.frame(r, t.accent);
    lines().forEach((l, i) => s.text(font, l, r.x + 12, r.y + 10 + i * 18, i === 0 ? t.accent : t.text));
  });
}
