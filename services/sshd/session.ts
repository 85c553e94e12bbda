// One SSH session channel: env, pty, window-change, then a shell (tsh on a
// pseudo-terminal), an exec request, or the sftp subsystem.
import type { Subprocess } from "bun";
import type { Session } from "ssh2";
import { serveSftp } from "./sftp.ts";

export interface SessionUser {
  name: string;
  home: string;
  uid: number;
  gid: number;
  shell: string;
}

type Pty = { cols: number; rows: number; term: string };
type SshStream = import("ssh2").ServerChannel;

/** Like OpenSSH: the user's shell runs the command line (most tsos commands are tsh builtins). */
export function commandArgv(command: string, shell: string): string[] {
  return [shell, "-c", command];
}

export function handleSession(session: Session, user: SessionUser, log: (m: string) => void): void {
  const env: Record<string, string> = {};
  let pty: Pty | undefined;
  let proc: Subprocess<any, any, any> | undefined;

  const baseEnv = () => ({ PATH: "/bin:/sbin:/usr/bin:/usr/sbin", HOME: user.home, USER: user.name, LOGNAME: user.name, SHELL: user.shell, ...env, ...(pty ? { TERM: pty.term || "xterm-256color" } : {}) });

  const finish = (stream: SshStream, p: Subprocess<any, any, any>) => {
    void p.exited.then(() => {
      if (p.signalCode) stream.exit(String(p.signalCode).replace(/^SIG/, ""), false, "");
      else stream.exit(p.exitCode ?? 1);
      stream.end();
    });
  };

  const start = (stream: SshStream, argv: string[]) => {
    try {
      if (pty) {
        proc = Bun.spawn(argv, { env: baseEnv(), cwd: user.home, terminal: { cols: pty.cols, rows: pty.rows, data: (_t, d) => stream.write(d) } });
        stream.on("data", (d: Buffer) => proc!.terminal?.write(d));
      } else {
        proc = Bun.spawn(argv, { env: baseEnv(), cwd: user.home, stdin: "pipe", stdout: "pipe", stderr: "pipe" });
        const sink = proc.stdin as import("bun").FileSink;
        stream.on("data", (d: Buffer) => {
          sink.write(d);
          void sink.flush();
        });
        stream.on("end", () => void sink.end());
        void (async () => {
          for await (const c of proc.stdout as ReadableStream<Uint8Array>) stream.write(c);
        })();
        void (async () => {
          for await (const c of proc.stderr as ReadableStream<Uint8Array>) stream.stderr.write(c);
        })();
      }
      stream.on("close", () => proc?.exitCode === null && proc.kill("SIGHUP"));
      finish(stream, proc);
    } catch (e) {
      stream.stderr.write(`sshd: cannot run ${argv[0]}: ${(e as Error).message}\n`);
      stream.exit(127);
      stream.end();
    }
  };

  session.on("env", (accept, _reject, info) => {
    if (/^(LANG|LC_[A-Z]+|TERM|COLORTERM|TZ)$/.test(info.key)) env[info.key] = info.val;
    accept?.();
  });
  session.on("pty", (accept, _reject, info) => {
    pty = { cols: info.cols || 80, rows: info.rows || 24, term: info.term };
    accept?.();
  });
  session.on("window-change", (accept, _reject, info) => {
    if (pty) pty = { ...pty, cols: info.cols, rows: info.rows };
    proc?.terminal?.resize(info.cols, info.rows);
    accept?.();
  });
  session.on("signal", (accept, _reject, info) => {
    proc?.kill(`SIG${info.name}` as NodeJS.Signals);
    accept?.();
  });
  session.on("shell", (accept) => {
    log(`${user.name}: shell${pty ? " on a pty" : ""}`);
    start(accept(), [user.shell]);
  });
  session.on("exec", (accept, _reject, info) => {
    log(`${user.name}: exec ${JSON.stringify(info.command).slice(0, 200)}`);
    start(accept(), commandArgv(info.command, user.shell));
  });
  session.on("sftp", (accept) => {
    log(`${user.name}: sftp`);
    serveSftp(accept(), user.home);
  });
  session.on("subsystem", (_accept, reject, info) => {
    log(`${user.name}: refused subsystem ${info.name}`);
    reject?.();
  });
}
