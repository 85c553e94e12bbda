// The boot structures checked against the kernel's own documentation and headers, not against our
// reading of them: field offsets come from Documentation/x86/boot.rst ("The Real-Mode Kernel Header"),
// Documentation/x86/zero-page.rst and include/uapi/linux/screen_info.h of the kernel source we build.
import { test, expect, describe, beforeAll } from "bun:test";
import { fetchKernelSource, kernelSourceFile, kernelSourceMissing } from "../../../buildroot/lib/kernelsrc.ts";
import { HDR, SETUP_HEADER_START } from "./bzimage.ts";
import { zeroPage, ZP, E820_ENTRY_SIZE, LOADER_TYPE_UNDEFINED } from "./zeropage.ts";
import { screenInfo, SI, SCREEN_INFO_SIZE, framebufferFor, VIDEO_TYPE_VLFB, VIDEO_CAPABILITY_64BIT_BASE } from "./screeninfo.ts";
import { E820_MAX_ENTRIES, E820_RAM, E820_RESERVED } from "./e820.ts";
import { HSI, START_INFO_SIZE, MODLIST_ENTRY_SIZE, MEMMAP_ENTRY_SIZE } from "./pvh.ts";

interface DocField {
  offset: number;
  size: number;
  name: string;
}

const BOOT_RST = ["Documentation/arch/x86/boot.rst", "Documentation/x86/boot.rst"];
const ZERO_PAGE_RST = ["Documentation/arch/x86/zero-page.rst", "Documentation/x86/zero-page.rst"];
const SCREEN_INFO_H = "include/uapi/linux/screen_info.h";
const START_INFO_H = "include/xen/interface/hvm/start_info.h";

const missing = kernelSourceMissing();
if (missing) console.log(`SKIP boot spec tests: ${missing}`);
// One pass over the tarball for every file (cached under build/kernel-src/ afterwards).
beforeAll(() => (missing ? undefined : fetchKernelSource([...BOOT_RST, ...ZERO_PAGE_RST, SCREEN_INFO_H, START_INFO_H])), 180_000);

/** Rows of an rst table like "0228/4  2.02+  cmd_line_ptr  ..." between a heading and the table's end. */
function docTable(text: string, heading: string, row: RegExp, sizeRadix: number): DocField[] {
  const start = text.indexOf(heading);
  if (start < 0) throw new Error(`heading ${heading} not found`);
  const fields: DocField[] = [];
  let inTable = false;
  for (const line of text.slice(start).split("\n")) {
    const m = row.exec(line);
    if (m) {
      inTable = true;
      fields.push({ offset: parseInt(m[1]!, 16), size: parseInt(m[2]!, sizeRadix), name: m[3]! });
    } else if (inTable && /^={5,}/.test(line)) {
      break;
    }
  }
  return fields;
}

async function bootHeaderDoc(): Promise<DocField[]> {
  const text = await kernelSourceFile(...BOOT_RST);
  return docTable(text, "The Real-Mode Kernel Header", /^([0-9A-F]{4})\/(\d+)\s+\S+\s+(\w+)/, 10);
}

async function zeroPageDoc(): Promise<DocField[]> {
  const text = await kernelSourceFile(...ZERO_PAGE_RST);
  return docTable(text, "Offset/Size", /^([0-9A-F]{3})\/([0-9A-F]{3})\s+\S+\s+(\w+)/, 16);
}

/** `__u16 lfb_width; /* 0x12 *\/` lines of struct screen_info. */
async function screenInfoHeader(): Promise<Map<string, number>> {
  const text = await kernelSourceFile(SCREEN_INFO_H);
  const body = text.slice(text.indexOf("struct screen_info {"), text.indexOf("} __attribute__((packed));"));
  const offsets = new Map<string, number>();
  for (const m of body.matchAll(/__u(?:8|16|32)\s+(\w+)(?:\[\d+\])?\s*;\s*\/\*\s*0x([0-9a-f]+)/g)) offsets.set(m[1]!, parseInt(m[2]!, 16));
  return offsets;
}

function readLE(b: Uint8Array, offset: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[offset + i]!);
  return v;
}

describe.skipIf(missing !== null)("boot.rst setup header", () => {
  test("every documented field is in our table at the documented offset, and nothing else is", async () => {
    const doc = await bootHeaderDoc();
    expect(doc.length).toBeGreaterThanOrEqual(35); // 39 in 6.1
    const ours = Object.entries(HDR).map(([name, offset]): { name: string; offset: number } => ({ name, offset })).sort((a, b) => a.offset - b.offset);
    expect(ours).toEqual(doc.map((d) => ({ name: d.name, offset: d.offset })));
  });

  test("the documented fields tile the header: each ends where the next begins", async () => {
    const doc = await bootHeaderDoc();
    for (let i = 0; i + 1 < doc.length; i++) expect(doc[i]!.offset + doc[i]!.size).toBe(doc[i + 1]!.offset);
    expect(doc[0]!.offset).toBe(SETUP_HEADER_START);
  });

  test("the zero page writer's loader fields read back at the documented offsets and sizes", async () => {
    const doc = new Map((await bootHeaderDoc()).map((d) => [d.name, d]));
    const cmdlineAddr = 0x1_2345_6000; // above 4 GiB: exercises ext_cmd_line_ptr too
    const initrd = { addr: 0x2_0000_1000, size: 0x1_0000_0200 };
    const page = zeroPage({ cmdlineAddr, cmdlineSize: 2047, initrd, e820: [] });
    const field = (name: string) => {
      const d = doc.get(name)!;
      return readLE(page, d.offset, d.size);
    };
    expect(field("type_of_loader")).toBe(BigInt(LOADER_TYPE_UNDEFINED));
    expect(field("cmd_line_ptr")).toBe(BigInt(cmdlineAddr & 0xffffffff));
    expect(field("ramdisk_image")).toBe(BigInt(initrd.addr % 2 ** 32));
    expect(field("ramdisk_size")).toBe(BigInt(initrd.size % 2 ** 32));
    expect(field("header")).toBe(0x53726448n);
    expect(field("boot_flag")).toBe(0xaa55n);
    expect(field("cmdline_size")).toBe(2047n);
    const zp = new Map((await zeroPageDoc()).map((d) => [d.name, d]));
    const ext = (name: string) => readLE(page, zp.get(name)!.offset, zp.get(name)!.size);
    expect(ext("ext_cmd_line_ptr")).toBe(1n);
    expect(ext("ext_ramdisk_image")).toBe(2n);
    expect(ext("ext_ramdisk_size")).toBe(1n);
  });

  test("a copied setup header lands at the documented offsets unchanged (except the loader's fields)", async () => {
    const doc = await bootHeaderDoc();
    const last = doc[doc.length - 1]!;
    const header = new Uint8Array(last.offset + last.size - SETUP_HEADER_START).map((_, i) => (i * 7 + 3) & 0xff);
    const page = zeroPage({ setupHeader: header, cmdlineAddr: 0x20000, cmdlineSize: 0, e820: [] });
    const written = new Set(["type_of_loader", "cmd_line_ptr"]);
    for (const d of doc) {
      if (written.has(d.name)) continue;
      expect([d.name, readLE(page, d.offset, d.size)]).toEqual([d.name, readLE(header, d.offset - SETUP_HEADER_START, d.size)]);
    }
  });
});

describe.skipIf(missing !== null)("zero-page.rst", () => {
  test("our zero page offsets are the documented ones", async () => {
    const doc = new Map((await zeroPageDoc()).map((d) => [d.name, d]));
    for (const [name, offset] of Object.entries(ZP)) expect([name, doc.get(name)?.offset]).toEqual([name, offset]);
    expect(doc.get("screen_info")!.size).toBe(SCREEN_INFO_SIZE);
    expect(doc.get("e820_table")!.size).toBe(E820_MAX_ENTRIES * E820_ENTRY_SIZE);
  });

  test("e820 entries read back from the documented table (struct boot_e820_entry: u64 addr, u64 size, u32 type)", async () => {
    const doc = new Map((await zeroPageDoc()).map((d) => [d.name, d]));
    const e820 = [
      { addr: 0, size: 0x9fc00, type: E820_RAM },
      { addr: 0x100000, size: 0xbff00000, type: E820_RAM },
      { addr: 0x1_0000_0000, size: 0x4000_0000, type: E820_RAM },
      { addr: 0xe000_0000, size: 0x80_0000, type: E820_RESERVED },
    ];
    const page = zeroPage({ cmdlineAddr: 0x20000, cmdlineSize: 0, e820 });
    const count = doc.get("e820_entries")!;
    expect(readLE(page, count.offset, count.size)).toBe(BigInt(e820.length));
    const base = doc.get("e820_table")!.offset;
    e820.forEach((e, i) => {
      const o = base + i * 20;
      expect([readLE(page, o, 8), readLE(page, o + 8, 8), readLE(page, o + 16, 4)]).toEqual([BigInt(e.addr), BigInt(e.size), BigInt(e.type)]);
    });
  });
});

describe.skipIf(missing !== null)("screen_info.h", () => {
  test("our field offsets match the header's offset comments", async () => {
    const offsets = await screenInfoHeader();
    expect(offsets.size).toBeGreaterThanOrEqual(30);
    for (const [name, offset] of Object.entries(SI)) expect([name, offsets.get(name)]).toEqual([name, offset]);
  });

  test("a framebuffer above 4 GiB sets the documented 64-bit base fields inside the zero page", async () => {
    const offsets = await screenInfoHeader();
    const zpDoc = new Map((await zeroPageDoc()).map((d) => [d.name, d]));
    const fb = framebufferFor(0x1_e000_0000, 1024, 768);
    const page = zeroPage({ cmdlineAddr: 0x20000, cmdlineSize: 0, e820: [], screenInfo: screenInfo(fb) });
    const at = (name: string, size: number) => readLE(page, zpDoc.get("screen_info")!.offset + offsets.get(name)!, size);
    expect(at("orig_video_isVGA", 1)).toBe(BigInt(VIDEO_TYPE_VLFB));
    expect([at("lfb_width", 2), at("lfb_height", 2), at("lfb_depth", 2), at("lfb_linelength", 2)]).toEqual([1024n, 768n, 32n, 4096n]);
    expect(at("lfb_base", 4)).toBe(0xe000_0000n);
    expect(at("ext_lfb_base", 4)).toBe(1n);
    expect(at("capabilities", 4)).toBe(BigInt(VIDEO_CAPABILITY_64BIT_BASE));
    expect(at("lfb_size", 4) << 16n).toBeGreaterThanOrEqual(BigInt(1024 * 768 * 4));
    // x8r8g8b8 in sysfb_simplefb's format table: r 16/8, g 8/8, b 0/8, no alpha.
    expect(["red_pos", "red_size", "green_pos", "green_size", "blue_pos", "blue_size", "rsvd_pos", "rsvd_size"].map((n) => at(n, 1))).toEqual([16n, 8n, 8n, 8n, 0n, 8n, 0n, 0n]);
  });
});

/** The offset diagrams in start_info.h: " * 16 +-----+" then " *    | modlist_paddr |", one diagram per struct. */
async function startInfoDiagrams(): Promise<{ name: string; offset: number }[][]> {
  const text = await kernelSourceFile(START_INFO_H);
  const diagrams: { name: string; offset: number }[][] = [];
  let current: { name: string; offset: number }[] = [];
  let pending: number | undefined;
  for (const line of text.split("\n")) {
    const edge = /^ \*\s+(\d+) \+-+[+|]/.exec(line);
    const name = /^ \*\s+\| (\w+)/.exec(line);
    if (edge) {
      const offset = Number(edge[1]);
      if (offset === 0 && current.length) diagrams.push((current = []));
      if (offset === 0 && !diagrams.length) diagrams.push(current);
      pending = offset;
    } else if (name && pending !== undefined) {
      current.push({ name: name[1]!, offset: pending });
      pending = undefined;
    }
  }
  return diagrams;
}

describe.skipIf(missing !== null)("xen start_info.h (PVH)", () => {
  test("hvm_start_info, hvm_modlist_entry and hvm_memmap_table_entry offsets match the diagrams", async () => {
    const [info, mod, memmap] = await startInfoDiagrams();
    expect(info).toEqual(Object.entries(HSI).map(([name, offset]): { name: string; offset: number } => ({ name, offset })));
    expect(mod!.map((f) => f.name)).toEqual(["paddr", "size", "cmdline_paddr", "reserved"]);
    expect(mod!.at(-1)!.offset + 8).toBe(MODLIST_ENTRY_SIZE);
    expect(memmap).toEqual([{ name: "addr", offset: 0 }, { name: "size", offset: 8 }, { name: "type", offset: 16 }, { name: "reserved", offset: 20 }]);
    expect(memmap!.at(-1)!.offset + 4).toBe(MEMMAP_ENTRY_SIZE);
    expect(info!.at(-1)!.offset + 4).toBe(START_INFO_SIZE);
  });
});
