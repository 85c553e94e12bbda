// Drives an interactive tsh through a real pseudo-terminal (Bun.Terminal).
import { afterAll, beforeAll, expect, test } from "bun:test";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "../..");
let home: string;
let out = "";
let proc: ReturnType<typeof Bun.spawn>;
let term: Bun.Terminal;

async function waitFor(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out; screen so far:\n${JSON.stringify(out.slice(-600))}`);
    await Bun.sleep(20);
  }
}

/**
 * The pid of the shell's child running `comm`, once it is running (and, with `state`, in that
 * /proc state: R/S for running or sleeping, T for stopped). Waiting on the process itself, not a
 * fixed delay, keeps these tests right on a loaded machine.
 */
async function waitChild(comm: string, states = "RSD", ms = 10000): Promise<number> {
  let found = 0;
  await waitFor(() => {
    for (const tid of fs.readdirSync(`/proc/${proc.pid}/task`)) {
      let kids: string[] = [];
      try {
        kids = fs.readFileSync(`/proc/${proc.pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
      } catch {}
      for (const k of kids) {
        try {
          const stat = fs.readFileSync(`/proc/${k}/stat`, "utf8");
          const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
          const state = stat.slice(stat.lastIndexOf(")") + 2)[0]!;
          if (name === comm && states.includes(state)) found = Number(k);
        } catch {}
      }
    }
    return found !== 0;
  }, ms);
  return found;
}

const count = (s: string) => out.split(s).length - 1;
const prompts = () => count("$ ") + count("# ");

async function type(keys: string, waitPrompt = true): Promise<void> {
  const before = prompts();
  term.write(keys);
  if (waitPrompt) await waitFor(() => prompts() > before);
}

beforeAll(async () => {
  home = fs.mkdtempSync(join(tmpdir(), "tsh-pty-"));
  fs.writeFileSync(join(home, "uniquefile-abc.txt"), "completed-content\n");
  term = new Bun.Terminal({ cols: 120, rows: 30, data: (_t, d) => (out += Buffer.from(d).toString("utf8")) });
  proc = Bun.spawn([process.execPath, join(ROOT, "lib/tsbox/main.ts"), "tsh"], { terminal: term, cwd: home, env: { HOME: home, PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm" } });
  await waitFor(() => prompts() >= 1, 10000);
});

afterAll(() => {
  proc.kill();
  term.close();
  fs.rmSync(home, { recursive: true, force: true });
});

test("runs a command and shows its output", async () => {
  await type("echo first-$((20+22))\r");
  expect(out).toContain("first-42");
});

test("Up arrow recalls the previous command", async () => {
  const before = count("first-42");
  // The recalled line's redraw repeats the prompt: wait for the command's output itself.
  term.write("\x1b[A\r");
  await waitFor(() => count("first-42") > before);
});

test("Ctrl-R finds an older command", async () => {
  await type("echo second-cmd\r");
  const before = count("first-42");
  term.write("\x12first");
  await waitFor(() => out.includes("(reverse-i-search)'first'"));
  term.write("\r");
  await waitFor(() => count("first-42") > before);
});

test("Tab completes a path", async () => {
  // The completed line is redrawn with its prompt, so wait for cat's output, not for a prompt.
  term.write("cat uniquefile\t\r");
  await waitFor(() => out.includes("completed-content"));
});

test("history is saved to ~/.tsh_history", () => {
  expect(fs.readFileSync(join(home, ".tsh_history"), "utf8")).toContain("echo second-cmd");
});

test("Ctrl-C interrupts a running sleep, not the shell", async () => {
  term.write(`${Bun.which("sleep")!} 30\r`);
  await waitChild("sleep");
  const before = prompts();
  const t = Date.now();
  term.write("\x03");
  await waitFor(() => prompts() > before, 3000);
  expect(Date.now() - t).toBeLessThan(3000);
  await type("echo status=$?\r");
  expect(out).toContain("status=130");
});

test("Ctrl-Z stops an external command; jobs lists it; fg resumes it in the foreground", async () => {
  const cat = Bun.which("cat")!;
  term.write(`${cat}\r`);
  const pid = await waitChild("cat");
  term.write("\x1a");
  await waitFor(() => /\[1\]\+\s+Stopped\s/.test(out));
  expect(await waitChild("cat", "T")).toBe(pid);
  await waitFor(() => out.endsWith("$ ") || out.endsWith("# "));
  await type("jobs\r");
  expect(out).toMatch(/\[1\]\+\s+Stopped\s+\S*cat/);
  term.write("fg\r");
  expect(await waitChild("cat", "RS")).toBe(pid); // the same process, continued (no longer T)
  const mark = out.length;
  term.write("resumed-line\r");
  // The terminal echoes the line once and the resumed cat prints it again.
  await waitFor(() => out.slice(mark).split("resumed-line").length - 1 >= 2);
  const before = prompts();
  term.write("\x04");
  await waitFor(() => prompts() > before);
  await type("jobs; echo jobs-done\r");
  expect(out.slice(out.lastIndexOf("jobs; echo jobs-done"))).not.toContain("Stopped");
});

test("bg resumes a stopped job in the background and wait collects it", async () => {
  term.write(`${Bun.which("sleep")!} 2\r`);
  await waitChild("sleep");
  term.write("\x1a");
  await waitFor(() => /\[\d+\]\+\s+Stopped\s+\S*sleep 2/.test(out));
  await waitChild("sleep", "T");
  await type("bg\r");
  const t = Date.now();
  term.write("wait; echo waited=$?\r");
  await waitFor(() => /waited=\d+/.test(out));
  expect(out).toContain("waited=0");
  expect(Date.now() - t).toBeLessThan(10000);
});

test("a syntax error does not end the shell", async () => {
  await type("echo (\r");
  await type("echo still-alive\r");
  expect(out).toContain("still-alive");
});

test("unfinished input continues on the next line", async () => {
  term.write("if true\r");
  await waitFor(() => out.endsWith("> "));
  await type("then echo multi-ok; fi\r");
  expect(out).toContain("multi-ok");
});

test("a line wider than the terminal wraps; edits redraw it from its first row", async () => {
  term.resize(40, 30);
  const word = "w".repeat(90);
  term.write(`echo ${word}`);
  await waitFor(() => out.endsWith(word));
  // Prompt (11) + "echo " + 90 columns = 3 rows of 40; Ctrl-A must go up 2 rows, not reprint below.
  const mark = out.length;
  term.write("\x01");
  await waitFor(() => out.length > mark && /\dC$/.test(out));
  expect(out.slice(mark)).toStartWith("\x1b[2A\r\x1b[J");
  await type("\x05\r");
  expect(out).toContain(`\n${word}\r\n`);
  term.resize(120, 30);
});

test("exit ends the shell with its status", async () => {
  term.write("exit 3\r");
  expect(await proc.exited).toBe(3);
});
