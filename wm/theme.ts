// The desktop's colours. Settings switches between the two; tests read the
// same constants to know what the screen should show.
import type { Color } from "./gfx/surface.ts";

export interface Theme {
  name: "dark" | "light";
  desktop: Color;
  panel: Color;
  panelText: Color;
  titleActive: Color;
  titleInactive: Color;
  titleText: Color;
  border: Color;
  windowBg: Color;
  text: Color;
  dim: Color;
  accent: Color;
  selection: Color;
  overlayBg: Color;
}

export const THEMES: Record<Theme["name"], Theme> = {
  dark: {
    name: "dark", desktop: 0x1d3b53, panel: 0x10202e, panelText: 0xd8e0e8, titleActive: 0x3a6ea5, titleInactive: 0x4a5560,
    titleText: 0xffffff, border: 0x0a1420, windowBg: 0x101418, text: 0xd0d0d0, dim: 0x8090a0, accent: 0xf0c040, selection: 0x35506a, overlayBg: 0x22303c,
  },
  light: {
    name: "light", desktop: 0x8fb3cf, panel: 0xe8ecf0, panelText: 0x202830, titleActive: 0x4a86c5, titleInactive: 0xa8b0b8,
    titleText: 0xffffff, border: 0x607080, windowBg: 0xfafafa, text: 0x202020, dim: 0x606870, accent: 0xc07000, selection: 0xb8d0e8, overlayBg: 0xf4f6f8,
  },
};
