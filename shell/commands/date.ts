// date: print the date, with +FORMAT (strftime subset), -u, -d DATE, -I, -R.
import type { Command } from "./types.ts";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export function strftime(fmt: string, d: Date, utc: boolean): string {
  const g = {
    Y: utc ? d.getUTCFullYear() : d.getFullYear(),
    m: (utc ? d.getUTCMonth() : d.getMonth()) + 1,
    d: utc ? d.getUTCDate() : d.getDate(),
    H: utc ? d.getUTCHours() : d.getHours(),
    M: utc ? d.getUTCMinutes() : d.getMinutes(),
    S: utc ? d.getUTCSeconds() : d.getSeconds(),
    w: utc ? d.getUTCDay() : d.getDay(),
  };
  const off = utc ? 0 : -d.getTimezoneOffset();
  const p2 = (n: number) => String(n).padStart(2, "0");
  const tz = () => (utc || off === 0 ? "UTC" : Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d).find((x) => x.type === "timeZoneName")?.value ?? "");
  const zone = () => (off >= 0 ? "+" : "-") + p2(Math.floor(Math.abs(off) / 60)) + p2(Math.abs(off) % 60);
  const start = utc ? Date.UTC(g.Y, 0, 1) : new Date(g.Y, 0, 1).getTime();
  const yday = Math.floor((d.getTime() - start + (utc ? 0 : (new Date(g.Y, 0, 1).getTimezoneOffset() - d.getTimezoneOffset()) * 60000)) / 86400000) + 1;
  return fmt.replace(/%([a-zA-Z%+])/g, (m, c: string) => {
    switch (c) {
      case "Y": return String(g.Y);
      case "y": return p2(g.Y % 100);
      case "m": return p2(g.m);
      case "d": return p2(g.d);
      case "e": return String(g.d).padStart(2);
      case "H": return p2(g.H);
      case "I": return p2(g.H % 12 || 12);
      case "M": return p2(g.M);
      case "S": return p2(g.S);
      case "p": return g.H < 12 ? "AM" : "PM";
      case "a": return DAYS[g.w]!.slice(0, 3);
      case "A": return DAYS[g.w]!;
      case "b":
      case "h": return MONTHS[g.m - 1]!.slice(0, 3);
      case "B": return MONTHS[g.m - 1]!;
      case "j": return String(yday).padStart(3, "0");
      case "u": return String(g.w || 7);
      case "w": return String(g.w);
      case "s": return String(Math.floor(d.getTime() / 1000));
      case "N": return String(d.getMilliseconds() * 1e6).padStart(9, "0");
      case "z": return zone();
      case "Z": return tz();
      case "F": return `${g.Y}-${p2(g.m)}-${p2(g.d)}`;
      case "T": return `${p2(g.H)}:${p2(g.M)}:${p2(g.S)}`;
      case "R": return `${p2(g.H)}:${p2(g.M)}`;
      case "D": return `${p2(g.m)}/${p2(g.d)}/${p2(g.Y % 100)}`;
      case "c": return strftime("%a %b %e %H:%M:%S %Y", d, utc);
      case "n": return "\n";
      case "t": return "\t";
      case "%": return "%";
    }
    return m;
  });
}

const cmd: Command = {
  name: "date",
  summary: "date: print the system date and time",
  usage: "Usage: date [-u] [-d DATE] [-I | -R | +FORMAT]\nPrints the date (default format '%a %b %e %H:%M:%S %Z %Y').\n  -u  UTC   -d DATE  show DATE (ISO text or @SECONDS) instead of now\n  -I  ISO 8601 date   -R  RFC 5322\nFORMAT: %Y %m %d %e %H %M %S %j %a %A %b %B %s %N %z %Z %F %T %R %D %c %p %I %n %t %%",
  async run(ctx) {
    let utc = false;
    let when = new Date();
    let fmt = "%a %b %e %H:%M:%S %Z %Y";
    const args = ctx.args.slice();
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === "-u" || a === "--utc") utc = true;
      else if (a === "-d" || a.startsWith("--date=")) {
        const v = a === "-d" ? args[++i] ?? "" : a.slice(7);
        when = v.startsWith("@") ? new Date(Number(v.slice(1)) * 1000) : new Date(v);
        if (Number.isNaN(when.getTime())) {
          await ctx.err(`invalid date '${v}'`);
          return 1;
        }
      } else if (a === "-I" || a === "--iso-8601") fmt = "%F";
      else if (a === "-R") fmt = "%a, %d %b %Y %H:%M:%S %z";
      else if (a.startsWith("+")) fmt = a.slice(1);
      else {
        await ctx.err(`invalid option '${a}'`);
        return 1;
      }
    }
    await ctx.out(strftime(fmt, when, utc || ctx.env.TZ === "UTC") + "\n");
    return 0;
  },
};
export default cmd;
