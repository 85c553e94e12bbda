// Find and read the config drive: the virtio-blk disk whose first sector holds
// the TSOSCFG1 header (see lib/vmconfig/disk.ts). No drive, or a bad one, means
// defaults, with the reason logged.
import { closeSync, openSync, readdirSync, readSync } from "node:fs";
import { decodeConfigDisk, isConfigDisk, SECTOR } from "../lib/vmconfig/disk.ts";
import { DEFAULT_CONFIG, parseVmConfig, type VmConfig } from "../lib/vmconfig/schema.ts";

function readHead(dev: string, bytes: number): Uint8Array {
  const fd = openSync(dev, "r");
  try {
    const buf = Buffer.alloc(bytes);
    let off = 0;
    while (off < bytes) {
      const n = readSync(fd, buf, off, bytes - off, off);
      if (n <= 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

export interface ConfigResult {
  config: VmConfig;
  source: string;
  error?: string;
}

export function loadVmConfig(rootDevice = "vda"): ConfigResult {
  let disks: string[] = [];
  try {
    disks = readdirSync("/sys/block").filter((d) => /^vd[a-z]+$/.test(d) && d !== rootDevice);
  } catch {
    return { config: DEFAULT_CONFIG, source: "defaults (no /sys/block)" };
  }
  for (const d of disks) {
    const dev = `/dev/${d}`;
    try {
      const head = readHead(dev, SECTOR);
      if (!isConfigDisk(head)) continue;
      const len = new DataView(head.buffer, head.byteOffset).getUint32(12, true);
      const decoded = decodeConfigDisk(readHead(dev, SECTOR + Math.min(len, 4 << 20)));
      if (!decoded.ok) return { config: DEFAULT_CONFIG, source: dev, error: decoded.error };
      const parsed = parseVmConfig(decoded.json);
      if (!parsed.ok) return { config: DEFAULT_CONFIG, source: dev, error: `vm.json: ${parsed.error}` };
      return { config: parsed.config, source: dev };
    } catch (e) {
      return { config: DEFAULT_CONFIG, source: dev, error: (e as Error).message };
    }
  }
  return { config: DEFAULT_CONFIG, source: "defaults (no config drive)" };
}
