// The sftp subsystem (what `sftp` and OpenSSH 9's `scp` speak) over node:fs.
// Handles are small integers in a per-session table; every request is answered.
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync, chmodSync, utimesSync, ftruncateSync, type Stats } from "node:fs";
import { resolve } from "node:path";
import { utils, type Attributes, type SFTPWrapper } from "ssh2";

const { STATUS_CODE, OPEN_MODE } = utils.sftp;

/** SFTP open flags -> open(2) flags; every combination, not just the ones with a mode string. */
export function openFlags(f: number): number {
  const c = constants;
  const rw = f & OPEN_MODE.READ && f & OPEN_MODE.WRITE ? c.O_RDWR : f & OPEN_MODE.WRITE ? c.O_WRONLY : c.O_RDONLY;
  return rw | (f & OPEN_MODE.APPEND ? c.O_APPEND : 0) | (f & OPEN_MODE.CREAT ? c.O_CREAT : 0) | (f & OPEN_MODE.TRUNC ? c.O_TRUNC : 0) | (f & OPEN_MODE.EXCL ? c.O_EXCL : 0);
}

function attrs(st: Stats): Attributes {
  return { mode: st.mode, uid: st.uid, gid: st.gid, size: st.size, atime: Math.floor(st.atimeMs / 1000), mtime: Math.floor(st.mtimeMs / 1000) };
}

function longname(name: string, st: Stats): string {
  const t = st.isDirectory() ? "d" : st.isSymbolicLink() ? "l" : "-";
  const p = "rwxrwxrwx".split("").map((c, i) => (st.mode & (1 << (8 - i)) ? c : "-")).join("");
  return `${t}${p} 1 ${st.uid} ${st.gid} ${String(st.size).padStart(8)} ${new Date(st.mtimeMs).toISOString().slice(0, 16).replace("T", " ")} ${name}`;
}

function code(e: unknown): number {
  const c = (e as NodeJS.ErrnoException).code;
  return c === "ENOENT" ? STATUS_CODE.NO_SUCH_FILE : c === "EACCES" || c === "EPERM" || c === "EROFS" ? STATUS_CODE.PERMISSION_DENIED : STATUS_CODE.FAILURE;
}

type Handle = { kind: "file"; fd: number } | { kind: "dir"; path: string; done: boolean };

export function serveSftp(sftp: SFTPWrapper, home: string): void {
  const handles = new Map<number, Handle>();
  let next = 1;
  const newHandle = (h: Handle) => {
    const id = next++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const get = (b: Buffer) => (b.length === 4 ? handles.get(b.readUInt32BE(0)) : undefined);
  const path = (p: string) => resolve(home, p || ".");
  const guard = (id: number, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      sftp.status(id, code(e), (e as Error).message);
    }
  };

  sftp.on("OPEN", (id, filename, flags) =>
    guard(id, () => {
      sftp.handle(id, newHandle({ kind: "file", fd: openSync(path(filename), openFlags(flags), 0o644) }));
    }),
  );
  sftp.on("READ", (id, h, offset, length) =>
    guard(id, () => {
      const f = get(h);
      if (f?.kind !== "file") return void sftp.status(id, STATUS_CODE.FAILURE, "bad handle");
      const buf = Buffer.alloc(Math.min(length, 256 * 1024));
      const n = readSync(f.fd, buf, 0, buf.length, offset);
      if (n === 0) sftp.status(id, STATUS_CODE.EOF);
      else sftp.data(id, buf.subarray(0, n));
    }),
  );
  sftp.on("WRITE", (id, h, offset, data) =>
    guard(id, () => {
      const f = get(h);
      if (f?.kind !== "file") return void sftp.status(id, STATUS_CODE.FAILURE, "bad handle");
      for (let off = 0; off < data.length; ) off += writeSync(f.fd, data, off, data.length - off, offset + off);
      sftp.status(id, STATUS_CODE.OK);
    }),
  );
  sftp.on("FSTAT", (id, h) =>
    guard(id, () => {
      const f = get(h);
      if (f?.kind !== "file") return void sftp.status(id, STATUS_CODE.FAILURE, "bad handle");
      sftp.attrs(id, attrs(fstatSync(f.fd)));
    }),
  );
  sftp.on("FSETSTAT", (id, h, a) =>
    guard(id, () => {
      const f = get(h);
      if (f?.kind !== "file") return void sftp.status(id, STATUS_CODE.FAILURE, "bad handle");
      if (a.size !== undefined) ftruncateSync(f.fd, a.size);
      sftp.status(id, STATUS_CODE.OK);
    }),
  );
  sftp.on("CLOSE", (id, h) =>
    guard(id, () => {
      const f = get(h);
      if (!f) return void sftp.status(id, STATUS_CODE.FAILURE, "bad handle");
      if (f.kind === "file") closeSync(f.fd);
      handles.delete(h.readUInt32BE(0));
      sftp.status(id, STATUS_CODE.OK);
    }),
  );
  sftp.on("OPENDIR", (id, p) =>
    guard(id, () => {
      const full = path(p);
      if (!statSync(full).isDirectory()) return void sftp.status(id, STATUS_CODE.FAILURE, "not a directory");
      sftp.handle(id, newHandle({ kind: "dir", path: full, done: false }));
    }),
  );
  sftp.on("READDIR", (id, h) =>
    guard(id, () => {
      const d = get(h);
      if (d?.kind !== "dir") return void sftp.status(id, STATUS_CODE.FAILURE, "bad handle");
      if (d.done) return void sftp.status(id, STATUS_CODE.EOF);
      d.done = true;
      const names = [".", "..", ...readdirSync(d.path)].flatMap((n) => {
        try {
          const st = lstatSync(resolve(d.path, n));
          return [{ filename: n, longname: longname(n, st), attrs: attrs(st) }];
        } catch {
          return [];
        }
      });
      sftp.name(id, names);
    }),
  );
  const statOp = (follow: boolean) => (id: number, p: string) => guard(id, () => sftp.attrs(id, attrs(follow ? statSync(path(p)) : lstatSync(path(p)))));
  sftp.on("STAT", statOp(true));
  sftp.on("LSTAT", statOp(false));
  sftp.on("SETSTAT", (id, p, a) =>
    guard(id, () => {
      if (a.mode !== undefined) chmodSync(path(p), a.mode & 0o7777);
      if (a.atime !== undefined && a.mtime !== undefined) utimesSync(path(p), a.atime, a.mtime);
      sftp.status(id, STATUS_CODE.OK);
    }),
  );
  sftp.on("REMOVE", (id, p) => guard(id, () => (unlinkSync(path(p)), sftp.status(id, STATUS_CODE.OK))));
  sftp.on("RMDIR", (id, p) => guard(id, () => (rmdirSync(path(p)), sftp.status(id, STATUS_CODE.OK))));
  sftp.on("MKDIR", (id, p, a) => guard(id, () => (mkdirSync(path(p), { mode: a.mode ?? 0o755 }), sftp.status(id, STATUS_CODE.OK))));
  sftp.on("RENAME", (id, from, to) => guard(id, () => (renameSync(path(from), path(to)), sftp.status(id, STATUS_CODE.OK))));
  sftp.on("REALPATH", (id, p) => guard(id, () => {
    const full = path(p);
    sftp.name(id, [{ filename: full, longname: full, attrs: {} as Attributes }]);
  }));
  sftp.on("READLINK", (id, p) => guard(id, () => {
    const t = readlinkSync(path(p));
    sftp.name(id, [{ filename: t, longname: t, attrs: {} as Attributes }]);
  }));
  // The client closed its side: release handles, report success and close ours.
  // OpenSSH's scp treats a subsystem without an exit-status as failed; ssh2's
  // SFTP wrapper has no exit(), so send it on the wrapper's own channel.
  sftp.on("end", () => {
    for (const h of handles.values()) if (h.kind === "file") closeSync(h.fd);
    handles.clear();
    const chan = sftp as unknown as { _protocol?: { exitStatus(id: number, status: number): void }; outgoing?: { id: number; state: string } };
    if (chan._protocol && chan.outgoing && chan.outgoing.state === "open") chan._protocol.exitStatus(chan.outgoing.id, 0);
    sftp.end();
  });
}
