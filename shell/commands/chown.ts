import * as fs from "node:fs";
import { join } from "node:path";
import { lookupGroup, lookupUser } from "./fsinfo.ts";
import { errText } from "./lib.ts";
import type { Command } from "./types.ts";

const cmd: Command = {
  name: "chown",
  summary: "chown: change file owner and group",
  usage: "Usage: chown [-R] OWNER[:GROUP] FILE...\nOWNER and GROUP are names (from /etc/passwd, /etc/group) or numbers.\n  -R  recursive",
  async run(ctx) {
    const args = ctx.args.slice();
    let recursive = false;
    while (args[0] === "-R" || args[0] === "-h" || args[0] === "-v") if (args.shift() === "-R") recursive = true;
    const spec = args.shift();
    if (spec === undefined || !args.length) {
      await ctx.err("missing operand");
      return 1;
    }
    const [u, g] = spec.split(/[:.]/);
    const uid = u ? lookupUser(u) : -1;
    const gid = g ? lookupGroup(g) : -1;
    if (uid === null || gid === null) {
      await ctx.err(`invalid ${uid === null ? "user" : "group"}: '${spec}'`);
      return 1;
    }
    let st = 0;
    const apply = (p: string) => {
      const s = fs.lstatSync(p);
      fs.lchownSync(p, uid < 0 ? s.uid : uid, gid < 0 ? s.gid : gid);
      if (recursive && s.isDirectory()) for (const e of fs.readdirSync(p)) apply(join(p, e));
    };
    for (const f of args) {
      try {
        apply(ctx.resolve(f));
      } catch (e) {
        await ctx.err(`changing ownership of '${f}': ${errText(e)}`);
        st = 1;
      }
    }
    return st;
  },
};
export default cmd;
