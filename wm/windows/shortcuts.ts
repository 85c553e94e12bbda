// Keyboard shortcuts, in one table: the window manager dispatches on it and the
// help overlay (Super+/) prints it, so they cannot drift apart.

export type Action =
  | "launcher" | "terminal" | "close" | "toggle-tiling" | "fullscreen" | "focus-next" | "focus-prev" | "make-master"
  | "master-shrink" | "master-grow" | "move-left" | "move-right" | "move-up" | "move-down"
  | "grow-width" | "shrink-width" | "grow-height" | "shrink-height" | "help";

export interface Shortcut {
  keys: string;
  key: string;
  shift?: boolean;
  action: Action;
  what: string;
}

export const SHORTCUTS: Shortcut[] = [
  { keys: "Super", key: "Super", action: "launcher", what: "open the launcher (type to filter, Enter opens)" },
  { keys: "Super+Enter", key: "Enter", action: "terminal", what: "new terminal" },
  { keys: "Super+Q", key: "q", action: "close", what: "close the focused window" },
  { keys: "Super+T", key: "t", action: "toggle-tiling", what: "switch between floating and tiling" },
  { keys: "Super+F", key: "f", action: "fullscreen", what: "fullscreen on/off" },
  { keys: "Super+J / Super+K", key: "j", action: "focus-next", what: "focus the next / previous window" },
  { keys: "", key: "k", action: "focus-prev", what: "" },
  { keys: "Super+M", key: "m", action: "make-master", what: "tiling: make the focused window the master" },
  { keys: "Super+H / Super+L", key: "h", action: "master-shrink", what: "tiling: narrower / wider master" },
  { keys: "", key: "l", action: "master-grow", what: "" },
  { keys: "Super+Arrows", key: "ArrowLeft", action: "move-left", what: "floating: move the window" },
  { keys: "", key: "ArrowRight", action: "move-right", what: "" },
  { keys: "", key: "ArrowUp", action: "move-up", what: "" },
  { keys: "", key: "ArrowDown", action: "move-down", what: "" },
  { keys: "Super+Shift+Arrows", key: "ArrowRight", shift: true, action: "grow-width", what: "floating: resize the window" },
  { keys: "", key: "ArrowLeft", shift: true, action: "shrink-width", what: "" },
  { keys: "", key: "ArrowDown", shift: true, action: "grow-height", what: "" },
  { keys: "", key: "ArrowUp", shift: true, action: "shrink-height", what: "" },
  { keys: "Super+/", key: "/", action: "help", what: "this help (Escape closes)" },
];

export const MOUSE_HELP = [
  "Click a window to focus and raise it; drag its title bar to move it;",
  "drag the bottom-right corner to resize; [x] closes. Terminal: drag to",
  "select, Ctrl+Shift+C copies, Ctrl+Shift+V or middle click pastes.",
];

export function findShortcut(key: string, shift: boolean): Action | null {
  return SHORTCUTS.find((s) => s.key === key && !!s.shift === shift)?.action ?? null;
}
