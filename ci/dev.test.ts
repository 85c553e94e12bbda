// Integration: `tsos dev` boots the image under QEMU, and editing a service's
// source gets the new code running in the guest without a reboot.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { DEV_CONFIG, DevSession, markKlogd } from "./lib/dev-session.ts";

const dev = new DevSession("citestdev", DEV_CONFIG);
type Status = { uptimeS: number; services: { name: string; pid: number; code: string }[] };
const status = () => JSON.parse(dev.ctl(["--json", "status"]).out) as Status;
const pids = (s: Status) => Object.fromEntries(s.services.map((x) => [x.name, x.pid]));

beforeAll(() => dev.start(), 200_000);
afterAll(async () => {
  await dev.stop();
});

test("an edit to services/klogd is running in the guest within seconds; other services keep their PIDs", async () => {
  const before = status();
  const r = await dev.edit("services/klogd/main.ts", markKlogd("klogd-edit-marker-1"));
  expect(r.line).toMatch(/dev: klogd: replaced, pid \d+/);
  const after = status();
  expect(pids(after).klogd).not.toBe(pids(before).klogd);
  expect(pids(after).bystander).toBe(pids(before).bystander);
  expect(after.services.find((s) => s.name === "klogd")!.code).toMatch(/^bundle [0-9a-f]{12}$/);
  expect(after.uptimeS).toBeGreaterThan(before.uptimeS); // no reboot happened
  expect(dev.ctl(["logs", "--service", "klogd"]).out).toContain("klogd-edit-marker-1");
}, 90_000);

test("a type error is reported by the checker without blocking the reload", async () => {
  const r = await dev.edit("services/klogd/main.ts", (t) => t.replace("const SEQ_FILE = ", "const typeError: number = 'x';\nconst SEQ_FILE = "));
  expect(r.line).toMatch(/dev: klogd: replaced/);
  await dev.waitFor(/types: services\/klogd\/main\.ts:\d+:\d+: Type 'string' is not assignable to type 'number'/, 0, 60_000);
}, 90_000);

test("code that does not become ready is rolled back by the guest", async () => {
  const r = await dev.edit("services/klogd/main.ts", (t) => t.replace("export async function main(): Promise<number> {\n", "export async function main(): Promise<number> {\n  process.exit(9);\n"));
  expect(r.line).toMatch(/new code did not become ready; guest rolled back/);
  const k = status().services.find((s) => s.name === "klogd")!;
  expect(k.code).toMatch(/^bundle /);
}, 90_000);
