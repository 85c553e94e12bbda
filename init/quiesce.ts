// quiesce/resume: make the writable disks consistent for a host-side snapshot
// (sync, then FIFREEZE each writable block filesystem) and undo it.
import { closeSync, openSync, readFileSync } from "node:fs";
import { ioctlInt, sync } from "../lib/ffi/libc.ts";
import { writableMounts } from "./shutdown.ts";

const FIFREEZE = 0xc0045877;
const FITHAW = 0xc0045878;

function eachWritable(request: number): { done: string[]; failed: { mount: string; error: string }[] } {
  const done: string[] = [];
  const failed: { mount: string; error: string }[] = [];
  for (const m of writableMounts(readFileSync("/proc/mounts", "utf8"))) {
    const fd = openSync(m, "r");
    try {
      if (ioctlInt(fd, request, 0) === 0) done.push(m);
      else failed.push({ mount: m, error: "ioctl failed" });
    } finally {
      closeSync(fd);
    }
  }
  return { done, failed };
}

export function quiesce() {
  sync();
  const r = eachWritable(FIFREEZE);
  return { synced: true, frozen: r.done, failed: r.failed };
}

export function resume() {
  const r = eachWritable(FITHAW);
  return { thawed: r.done, failed: r.failed };
}
