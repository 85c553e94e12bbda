// The command table: each command lives in its own module, loaded on first use
// so a shell only evaluates the commands it runs.
import type { Command } from "./types.ts";

type Loader = () => Promise<{ default: Command }>;

const table: Record<string, Loader> = {
  echo: () => import("./echo.ts"),
  printf: () => import("./printf.ts"),
  cat: () => import("./cat.ts"),
  true: () => import("./true.ts"),
  false: () => import("./false.ts"),
  test: () => import("./test.ts"),
  "[": () => import("./test.ts"),
  pwd: () => import("./pwd.ts"),
  cd: () => import("./cd.ts"),
  ls: () => import("./ls.ts"),
  cp: () => import("./cp.ts"),
  mv: () => import("./mv.ts"),
  rm: () => import("./rm.ts"),
  mkdir: () => import("./mkdir.ts"),
  rmdir: () => import("./rmdir.ts"),
  touch: () => import("./touch.ts"),
  ln: () => import("./ln.ts"),
  head: () => import("./head.ts"),
  tail: () => import("./tail.ts"),
  wc: () => import("./wc.ts"),
  grep: () => import("./grep.ts"),
  sort: () => import("./sort.ts"),
  uniq: () => import("./uniq.ts"),
  cut: () => import("./cut.ts"),
  tr: () => import("./tr.ts"),
  tee: () => import("./tee.ts"),
  find: () => import("./find.ts"),
  xargs: () => import("./xargs.ts"),
  env: () => import("./env.ts"),
  which: () => import("./which.ts"),
  sleep: () => import("./sleep.ts"),
  date: () => import("./date.ts"),
  uname: () => import("./uname.ts"),
  hostname: () => import("./hostname.ts"),
  id: () => import("./id.ts"),
  whoami: () => import("./whoami.ts"),
  chmod: () => import("./chmod.ts"),
  chown: () => import("./chown.ts"),
  du: () => import("./du.ts"),
  df: () => import("./df.ts"),
  free: () => import("./free.ts"),
  uptime: () => import("./uptime.ts"),
  ps: () => import("./ps.ts"),
  kill: () => import("./kill.ts"),
  mount: () => import("./mount.ts"),
  umount: () => import("./umount.ts"),
  dmesg: () => import("./dmesg.ts"),
  seq: () => import("./seq.ts"),
  clear: () => import("./clear.ts"),
  help: () => import("./help.ts"),
  basename: () => import("./basename.ts"),
  dirname: () => import("./dirname.ts"),
  ip: () => import("./ip.ts"),
  ping: () => import("./ping.ts"),
  top: () => import("./top.ts"),
  fetch: () => import("./fetch.ts"),
  wget: () => import("./wget.ts"),
  open: () => import("./open.ts"),
};

const loaded = new Map<string, Command>();

export function commandNames(): string[] {
  return Object.keys(table);
}

export async function loadCommand(name: string): Promise<Command | undefined> {
  const hit = loaded.get(name);
  if (hit) return hit;
  const load = Object.hasOwn(table, name) ? table[name] : undefined;
  if (!load) return undefined;
  const cmd = (await load()).default;
  loaded.set(name, cmd);
  return cmd;
}
