// /etc/passwd lookups for a service's `user`.
import { readFileSync } from "node:fs";

export interface User {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export function parsePasswd(text: string): User[] {
  return text
    .split("\n")
    .map((l) => l.split(":"))
    .filter((f) => f.length >= 7)
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! }));
}

export function lookupUser(name: string, passwd = "/etc/passwd"): User {
  let users: User[] = [];
  try {
    users = parsePasswd(readFileSync(passwd, "utf8"));
  } catch {
    // no /etc/passwd (e.g. on a bare host): only root is known
  }
  const u = users.find((x) => x.name === name) ?? (name === "root" ? { name: "root", uid: 0, gid: 0, home: "/root" } : undefined);
  if (!u) throw new Error(`unknown user '${name}'`);
  return u;
}
