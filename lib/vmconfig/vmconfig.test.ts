import { expect, test } from "bun:test";
import { decodeConfigDisk, encodeConfigDisk, SECTOR } from "./disk.ts";
import { DEFAULT_CONFIG, parseVmConfig } from "./schema.ts";

test("config disk round-trips and is whole sectors", () => {
  const json = JSON.stringify({ hostname: "box" });
  const disk = encodeConfigDisk(json);
  expect(disk.length % SECTOR).toBe(0);
  expect(decodeConfigDisk(disk)).toEqual({ ok: true, json });
});

test("corruption, truncation and foreign disks are named, never thrown", () => {
  const disk = encodeConfigDisk('{"hostname":"box"}');
  const flipped = disk.slice();
  flipped[SECTOR + 3]! ^= 1;
  expect(decodeConfigDisk(flipped)).toEqual({ ok: false, error: expect.stringContaining("checksum") });
  expect(decodeConfigDisk(disk.slice(0, SECTOR))).toEqual({ ok: false, error: expect.stringContaining("claims") });
  expect(decodeConfigDisk(new Uint8Array(1024))).toEqual({ ok: false, error: "no TSOSCFG1 header" });
  const v2 = disk.slice();
  new DataView(v2.buffer).setUint32(8, 2, true);
  expect(decodeConfigDisk(v2)).toEqual({ ok: false, error: expect.stringContaining("version 2") });
});

test("vm.json: defaults, validation errors name the key", () => {
  expect(parseVmConfig("{}")).toEqual({ ok: true, config: DEFAULT_CONFIG });
  expect(parseVmConfig("[1]")).toMatchObject({ ok: false, error: expect.stringContaining("object") });
  expect(parseVmConfig('{"hostname":"bad name"}')).toMatchObject({ ok: false, error: expect.stringContaining("hostname") });
  expect(parseVmConfig('{"services":[{"name":"x","command":[]}]}')).toMatchObject({ ok: false, error: "services[0].command must not be empty" });
  expect(parseVmConfig('{"services":[{"name":"x","command":["a"],"restart":"sometimes"}]}')).toMatchObject({ ok: false, error: expect.stringContaining("restart") });
  const ok = parseVmConfig('{"hostname":"h1","authorizedKeys":["ssh-ed25519 AAAA k"],"services":[{"name":"web","command":["/bin/x"],"ready":{"tcp":80}}],"extra":1}');
  expect(ok).toMatchObject({ ok: true, config: { hostname: "h1", services: [{ name: "web", restart: "on-failure", ready: { tcp: 80 } }] } });
  expect(parseVmConfig('{"services":[{"name":"kiosk","command":["/bin/x"],"condition":{"pathExists":"/dev/fb0"}}]}')).toMatchObject({ ok: true, config: { services: [{ condition: { pathExists: "/dev/fb0" } }] } });
  expect(parseVmConfig('{"services":[{"name":"kiosk","command":["/bin/x"],"condition":{"exists":1}}]}')).toMatchObject({ ok: false, error: "services[0].condition must be {pathExists: path}" });
  expect(parseVmConfig('{"ssh":{"vsock":false}}')).toMatchObject({ ok: true, config: { ssh: { vsock: false } } });
  expect(parseVmConfig('{"ssh":{"vsock":"no"}}')).toMatchObject({ ok: false, error: "ssh must be {vsock: true|false}" });
});
