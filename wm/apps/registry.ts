// The apps the desktop knows, by tsos:// URL: what the launcher lists and what
// `open URL` (tsh, the control socket) can start.
import type { LauncherEntry } from "../launcher/launcher.ts";
import type { InputHub } from "../input/hub.ts";
import type { WindowManager } from "../windows/manager.ts";
import type { App } from "./app.ts";
import { LazyApp } from "./lazy.ts";

export interface Desktop {
  wm: WindowManager;
  input: InputHub | null;
}

interface AppEntry extends LauncherEntry {
  create(d: Desktop): App;
}

const APPS: AppEntry[] = [
  { url: "tsos://terminal", name: "Terminal", description: "tsh in a terminal", create: () => new LazyApp("Terminal", async () => new (await import("./terminal/terminal.ts")).TerminalApp()) },
  { url: "tsos://monitor", name: "Monitor", description: "CPU, memory, services, processes", create: () => new LazyApp("System monitor", async () => new (await import("./monitor/monitor.ts")).MonitorApp()) },
  { url: "tsos://logs", name: "Logs", description: "the system log", create: () => new LazyApp("Logs", async () => new (await import("./logs/logs.ts")).LogsApp()) },
  { url: "tsos://files", name: "Files", description: "browse the file system", create: () => new LazyApp("Files", async () => new (await import("./files/files.ts")).FilesApp()) },
  { url: "tsos://settings", name: "Settings", description: "host name, keyboard repeat, theme", create: (d) => new LazyApp("Settings", async () => new (await import("./settings/settings.ts")).SettingsApp(d)) },
];

export const LAUNCHER_ENTRIES: LauncherEntry[] = APPS.map(({ url, name, description }) => ({ url, name, description }));

/** Normalise "terminal", "tsos:terminal" and "tsos://terminal/" to the canonical URL. */
export function canonicalUrl(url: string): string {
  const name = url.trim().replace(/^tsos:(\/\/)?/, "").replace(/\/+$/, "");
  return `tsos://${name}`;
}

export function appFactory(desktop: () => Desktop): (url: string) => { app: App; url: string } | null {
  return (url) => {
    const entry = APPS.find((a) => a.url === canonicalUrl(url));
    return entry ? { app: entry.create(desktop()), url: entry.url } : null;
  };
}
