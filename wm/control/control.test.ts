import { expect, test } from "bun:test";
import { mkdtempSync, statSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { appFactory, LAUNCHER_ENTRIES } from "../apps/registry.ts";
import { Compositor } from "../compositor/compositor.ts";
import { terminus } from "../font/terminus.ts";
import { WindowManager } from "../windows/manager.ts";
import { wmRequest } from "./client.ts";
import { serveControl } from "./server.ts";

test("the control socket opens apps by URL, reports state, and answers bad requests with errors", async () => {
  let wm!: WindowManager;
  const c = new Compositor({ width: 800, height: 600, present: () => {} }, (s) => wm.paint(s));
  wm = new WindowManager(c, terminus(), LAUNCHER_ENTRIES, appFactory(() => ({ wm, input: null })));
  const path = join(mkdtempSync(join(tmpdir(), "tsos-wm-")), "wm.sock");
  const server = serveControl(path, wm);
  await new Promise((r) => server.once("listening", r));
  expect((statSync(path).mode & 0o777).toString(8)).toBe("600");
  expect(await wmRequest({ op: "open", url: "files" }, path)).toMatchObject({ ok: true, url: "tsos://files" });
  expect(await wmRequest({ op: "open", url: "tsos://nope" }, path)).toMatchObject({ ok: false, error: expect.stringContaining("unknown app") });
  const st = (await wmRequest({ op: "state" }, path)) as unknown as { state: { windows: { url: string; focused: boolean }[]; screen: { width: number } } };
  expect(st.state.windows).toEqual([expect.objectContaining({ url: "tsos://files", focused: true })]);
  expect(st.state.screen.width).toBe(800);
  expect(await wmRequest({ op: "dance" }, path)).toMatchObject({ ok: false, error: expect.stringContaining("unknown op") });
  const raw = await new Promise<string>((r) => {
    const s = connect(path, () => s.write("{not json\n"));
    s.on("data", (d) => (r(d.toString()), s.end()));
  });
  expect(JSON.parse(raw)).toMatchObject({ ok: false, error: expect.stringContaining("bad request") });
  await expect(wmRequest({ op: "state" }, join(tmpdir(), "no-such-wm.sock"))).rejects.toThrow(/cannot reach the desktop/);
  server.close();
  wm.stop();
});
