import { describe, expect, test } from "bun:test";
import { checkConfig, parseConfig } from "./kconfig.ts";

describe("kconfig", () => {
  test("parses set, string and unset options", () => {
    const v = parseConfig('CONFIG_A=y\nCONFIG_B="x y"\n# CONFIG_C is not set\n# comment\nCONFIG_D=8\n');
    expect([...v]).toEqual([["A", "y"], ["B", '"x y"'], ["C", "n"], ["D", "8"]]);
  });

  test("reports options that did not survive, naming the fragment", () => {
    const final = parseConfig("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=y\nCONFIG_N=4\n");
    const lost = checkConfig([{ name: "x.config", text: "CONFIG_A=y\nCONFIG_B=y\nCONFIG_C=n\nCONFIG_N=8\nCONFIG_MISSING=n\n" }], final);
    expect(lost).toEqual(["CONFIG_B (x.config: want y, got n)", "CONFIG_C (x.config: want n, got y)", "CONFIG_N (x.config: want 8, got 4)"]);
  });

  test("the real fragments all survived in the built kernel's config", async () => {
    const { readdirSync, readFileSync, existsSync } = await import("node:fs");
    const cfg = new URL("../../build/kernel/config", import.meta.url).pathname;
    if (!existsSync(cfg)) throw new Error("build/kernel/config missing: run 'make kernel' first");
    const dir = new URL("../../kernel-config/", import.meta.url).pathname;
    const frags = readdirSync(dir).filter((f) => f.endsWith(".config")).map((f) => ({ name: f, text: readFileSync(dir + f, "utf8") }));
    expect(frags.map((f) => f.name)).toEqual(expect.arrayContaining(["base.config", "console.config", "virtio.config", "block-erofs.config", "net.config", "vsock.config", "input.config", "display.config", "fs.config"]));
    expect(checkConfig(frags, parseConfig(readFileSync(cfg, "utf8")))).toEqual([]);
  });
});
