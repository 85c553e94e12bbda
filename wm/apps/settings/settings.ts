// tsos://settings — host name, keyboard repeat (the kernel's evdev autorepeat),
// and the desktop theme.
import { readFileSync } from "node:fs";
import { sethostname } from "../../../lib/ffi/libc.ts";
import type { KeyEvent } from "../../input/keymap.ts";
import { ListApp, type Line } from "../listview.ts";
import type { Desktop } from "../registry.ts";

export const REPEAT_DEFAULT = { delay: 250, period: 33 };
let repeat = { ...REPEAT_DEFAULT };

function currentHostname(): string {
  try {
    return readFileSync("/proc/sys/kernel/hostname", "utf8").trim();
  } catch {
    return "?";
  }
}

export class SettingsApp extends ListApp {
  title = "Settings";
  private editing: string | null = null;
  private message = "";

  constructor(private readonly desktop: Desktop) {
    super();
  }

  protected lines(): Line[] {
    const host = this.editing !== null ? `${this.editing}_` : currentHostname();
    return [
      { text: `Host name         ${host}` },
      { text: `Repeat delay      ${repeat.delay} ms` },
      { text: `Repeat interval   ${repeat.period} ms (${Math.round(1000 / repeat.period)} per second)` },
      { text: `Theme             ${this.desktop.wm.theme.name}` },
      { text: "" },
      { text: this.message, tone: "accent" },
    ];
  }

  protected override footer(): string {
    return this.editing !== null ? "type the name, Enter applies, Escape cancels" : "Enter: edit/toggle   Left/Right: change";
  }

  private applyRepeat(): void {
    this.desktop.input?.setKeyRepeat(repeat.delay, repeat.period);
    this.message = `keyboard repeat: ${repeat.delay} ms delay, ${repeat.period} ms interval`;
  }

  protected override activate(i: number): void {
    if (i === 0) this.editing = currentHostname();
    else if (i === 3) this.toggleTheme();
    this.refresh();
  }

  private toggleTheme(): void {
    this.desktop.wm.setTheme(this.desktop.wm.theme.name === "dark" ? "light" : "dark");
    this.message = `theme: ${this.desktop.wm.theme.name}`;
  }

  protected override otherKey(e: KeyEvent): boolean {
    if (this.editing !== null) return this.editKey(e);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return false;
    if (this.selected === 1) repeat.delay = Math.max(100, Math.min(1000, repeat.delay + step * 50));
    else if (this.selected === 2) repeat.period = Math.max(10, Math.min(200, repeat.period + step * 5));
    else if (this.selected === 3) this.toggleTheme();
    else return false;
    if (this.selected !== 3) this.applyRepeat();
    this.refresh();
    return true;
  }

  private editKey(e: KeyEvent): boolean {
    if (e.key === "Escape") this.editing = null;
    else if (e.key === "Backspace") this.editing = this.editing!.slice(0, -1);
    else if (e.char && /[a-zA-Z0-9-]/.test(e.char) && this.editing!.length < 63) this.editing += e.char;
    else return false;
    this.refresh();
    return true;
  }

  override key(e: KeyEvent): void {
    if (this.editing !== null && e.down && e.key === "Enter") {
      const name = this.editing;
      this.editing = null;
      try {
        if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(name)) throw new Error("1-63 letters, digits or '-'");
        sethostname(name);
        this.message = `host name set to ${name}`;
      } catch (err) {
        this.message = `host name not changed: ${(err as Error).message}`;
      }
      this.refresh();
      return;
    }
    super.key(e);
  }
}
