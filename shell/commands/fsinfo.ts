// File metadata helpers shared by ls, find, id, ps, chown: mode strings and user/group names.
import * as fs from "node:fs";

export function modeString(st: fs.Stats): string {
  const m = st.mode;
  const type = st.isDirectory() ? "d" : st.isSymbolicLink() ? "l" : st.isCharacterDevice() ? "c" : st.isBlockDevice() ? "b" : st.isFIFO() ? "p" : st.isSocket() ? "s" : "-";
  const rwx = (bits: number, special: boolean, ch: string) => (bits & 4 ? "r" : "-") + (bits & 2 ? "w" : "-") + (special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? "x" : "-");
  return type + rwx(m >> 6, (m & 0o4000) !== 0, "s") + rwx(m >> 3, (m & 0o2000) !== 0, "s") + rwx(m, (m & 0o1000) !== 0, "t");
}

function table(file: string): Map<number, string> {
  const map = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, "utf8").split("\n")) {
      const f = line.split(":");
      if (f.length > 2 && !map.has(Number(f[2]))) map.set(Number(f[2]), f[0]!);
    }
  } catch {}
  return map;
}

let users: Map<number, string> | null = null;
let groups: Map<number, string> | null = null;

export function userName(uid: number): string {
  users ??= table("/etc/passwd");
  return users.get(uid) ?? (uid === 0 ? "root" : String(uid));
}

export function groupName(gid: number): string {
  groups ??= table("/etc/group");
  return groups.get(gid) ?? (gid === 0 ? "root" : String(gid));
}

export function lookupUser(name: string): number | null {
  if (/^[0-9]+$/.test(name)) return Number(name);
  users ??= table("/etc/passwd");
  for (const [id, n] of users) if (n === name) return id;
  return name === "root" ? 0 : null;
}

export function lookupGroup(name: string): number | null {
  if (/^[0-9]+$/.test(name)) return Number(name);
  groups ??= table("/etc/group");
  for (const [id, n] of groups) if (n === name) return id;
  return name === "root" ? 0 : null;
}

/** Supplementary groups of a user from /etc/group. */
export function userGroups(user: string): number[] {
  const out: number[] = [];
  try {
    for (const line of fs.readFileSync("/etc/group", "utf8").split("\n")) {
      const f = line.split(":");
      if (f[3]?.split(",").includes(user)) out.push(Number(f[2]));
    }
  } catch {}
  return out;
}
