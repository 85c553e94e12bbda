import { expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Compositor } from "../compositor/compositor.ts";
import { terminus } from "../font/terminus.ts";
import { Surface } from "../gfx/surface.ts";
import { Keymap } from "../input/keymap.ts";
import { THEMES } from "../theme.ts";
import { WindowManager } from "../windows/manager.ts";
import type { AppHost } from "./app.ts";
import { FilesApp } from "./files/files.ts";
import { LogsApp, logLines } from "./logs/logs.ts";
import { addressLines } from "./monitor/monitor.ts";
import { appFactory, canonicalUrl, LAUNCHER_ENTRIES } from "./registry.ts";
import { SettingsApp } from "./settings/settings.ts";

function host(title: string[] = []): AppHost {
  return {
    surface: new Surface(400, 200),
    damage: () => {},
    setTitle: (t) => void title.push(t),
    close: () => {},
    theme: () => THEMES.dark,
    clipboard: { get: () => "", set: () => {} },
    open: () => {},
  };
}
const km = new Keymap();
const down = (code: number) => km.translate(code, 1);

test("every launcher entry is an app the registry can start; URLs are normalised", () => {
  expect(LAUNCHER_ENTRIES.map((e) => e.url)).toEqual(["tsos://terminal", "tsos://monitor", "tsos://logs", "tsos://files", "tsos://settings"]);
  expect(canonicalUrl("files")).toBe("tsos://files");
  expect(canonicalUrl("tsos:logs/")).toBe("tsos://logs");
});

test("files lists directories first, Enter opens a directory and shows a file, Backspace goes back", () => {
  const d = mkdtempSync(join(tmpdir(), "tsos-files-"));
  mkdirSync(join(d, "zdir"));
  writeFileSync(join(d, "a.txt"), "first line\nsecond\n");
  const titles: string[] = [];
  const app = new FilesApp(d);
  app.start(host(titles));
  const shown = () => (app as unknown as { shown: { text: string }[] }).shown.map((l) => l.text.trim());
  expect(shown()[0]).toBe("..");
  expect(shown()[1]).toBe("zdir/");
  expect(shown()[2]).toMatch(/^a\.txt\s+18$/);
  app.key(down(108)); // ArrowDown to zdir
  app.key(down(28));
  expect(titles.at(-1)).toBe(`Files: ${join(d, "zdir")}`);
  app.key(down(14)); // Backspace: up
  app.key(down(108));
  app.key(down(108));
  app.key(down(28)); // open a.txt
  expect(shown().slice(0, 2)).toEqual(["first line", "second"]);
  app.stop();
});

test("logs format the structured log and filter as you type", () => {
  const d = mkdtempSync(join(tmpdir(), "tsos-logs-"));
  const f = join(d, "tsos.jsonl");
  writeFileSync(f, [JSON.stringify({ t: 0, level: "info", service: "netd", msg: "lease 10.0.2.15" }), "not json", JSON.stringify({ t: 1000, level: "error", service: "sshd", msg: "boom" })].join("\n"));
  expect(logLines(readFileSync(f, "utf8"), "").map((l) => l.text)).toEqual(["00:00:00.000 info  netd: lease 10.0.2.15", "00:00:01.000 error sshd: boom"]);
  const app = new LogsApp(f);
  app.start(host());
  for (const c of [31, 31, 35]) app.key(down(c)); // "ssh"
  expect((app as unknown as { shown: { text: string }[] }).shown.map((l) => l.text)).toEqual(["00:00:01.000 error sshd: boom"]);
  app.stop();
});

test("monitor shows netd's addresses, and says so when netd has not written them", () => {
  const json = JSON.stringify({ interfaces: { eth0: { ipv4: { address: "10.0.2.15", prefix: 24 }, ipv6: ["fd00::5"], carrier: true } } });
  expect(addressLines(json)[0]!.text).toBe("  eth0     10.0.2.15/24  fd00::5");
  expect(addressLines("")[0]!.tone).toBe("dim");
});

test("settings toggles the theme through the window manager", () => {
  const d = { width: 640, height: 480, present: () => {} };
  let wm!: WindowManager;
  const c = new Compositor(d, (s) => wm.paint(s));
  wm = new WindowManager(c, terminus(), LAUNCHER_ENTRIES, appFactory(() => ({ wm, input: null })));
  const app = new SettingsApp({ wm, input: null });
  app.start(host());
  app.key(down(108));
  app.key(down(108));
  app.key(down(108));
  app.key(down(28)); // Enter on Theme
  expect(wm.theme.name).toBe("light");
  app.key(down(106)); // Right toggles back
  expect(wm.theme.name).toBe("dark");
  app.stop();
});
