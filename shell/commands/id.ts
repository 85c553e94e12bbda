import { groupName, userGroups, userName } from "./fsinfo.ts";
import { printJson } from "./lib.ts";
import { takeJson } from "./sysinfo.ts";
import type { Command } from "./types.ts";

export function identity(): { uid: number; gid: number; user: string; group: string; groups: { gid: number; name: string }[] } {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const user = userName(uid);
  const gids = [gid, ...(process.getgroups?.() ?? userGroups(user))].filter((g, i, a) => a.indexOf(g) === i);
  return { uid, gid, user, group: groupName(gid), groups: gids.map((g) => ({ gid: g, name: groupName(g) })) };
}

const cmd: Command = {
  name: "id",
  summary: "id: print user and group ids",
  usage: "Usage: id [-u|-g|-G] [-n] [--json]\nPrints the user and group identity of the shell.\n  -u user id  -g group id  -G all group ids  -n names instead of numbers\n  --json  everything as JSON",
  async run(ctx) {
    const { json, rest } = takeJson(ctx.args);
    const id = identity();
    if (json) return printJson(ctx, id);
    const f = rest.join("").replace(/-/g, "");
    const names = f.includes("n");
    if (f.includes("u")) await ctx.out((names ? id.user : String(id.uid)) + "\n");
    else if (f.includes("G")) await ctx.out(id.groups.map((g) => (names ? g.name : String(g.gid))).join(" ") + "\n");
    else if (f.includes("g")) await ctx.out((names ? id.group : String(id.gid)) + "\n");
    else if (f === "") await ctx.out(`uid=${id.uid}(${id.user}) gid=${id.gid}(${id.group}) groups=${id.groups.map((g) => `${g.gid}(${g.name})`).join(",")}\n`);
    else {
      await ctx.stderr.write(`id: invalid option -- '${f.replace(/[ugGn]/g, "")[0]}'\nTry 'id --help' for more information.\n`);
      return 1;
    }
    return 0;
  },
};
export default cmd;
