// A tiny authoritative DNS server for tests: answers A queries for the names
// it is given, NXDOMAIN for the rest, and records every question it saw.
import { createSocket, type Socket } from "node:dgram";

export interface DnsServer {
  questions: string[];
  close(): void;
}

function readName(b: Buffer, off: number): { name: string; end: number } | undefined {
  const labels: string[] = [];
  while (off < b.length) {
    const len = b[off]!;
    if (len === 0) return { name: labels.join(".").toLowerCase(), end: off + 1 };
    if (len > 63 || off + 1 + len > b.length) return undefined;
    labels.push(b.toString("latin1", off + 1, off + 1 + len));
    off += 1 + len;
  }
  return undefined;
}

/** The response to one query datagram, or undefined for something that is not a plain query. */
export function answer(q: Buffer, records: Record<string, string>): Buffer | undefined {
  if (q.length < 12 || q[2]! & 0x80 || q.readUInt16BE(4) !== 1) return undefined;
  const n = readName(q, 12);
  if (!n || n.end + 4 > q.length) return undefined;
  const qtype = q.readUInt16BE(n.end);
  const question = q.subarray(12, n.end + 4);
  const ip = records[n.name];
  const found = ip !== undefined;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.readUInt16BE(0), 0);
  header.writeUInt16BE(0x8400 | (q.readUInt16BE(2) & 0x0100) | (found ? 0 : 3), 2); // QR AA, RD copied, NXDOMAIN when unknown
  header.writeUInt16BE(1, 4);
  const withA = found && qtype === 1;
  header.writeUInt16BE(withA ? 1 : 0, 6);
  if (!withA) return Buffer.concat([header, question]);
  const rr = Buffer.alloc(16);
  rr.writeUInt16BE(0xc00c, 0); // name: pointer to the question
  rr.writeUInt16BE(1, 2);
  rr.writeUInt16BE(1, 4);
  rr.writeUInt32BE(60, 6);
  rr.writeUInt16BE(4, 10);
  Buffer.from(ip.split(".").map(Number)).copy(rr, 12);
  return Buffer.concat([header, question, rr]);
}

export async function startDnsServer(host: string, port: number, records: Record<string, string>): Promise<DnsServer> {
  const sock: Socket = createSocket("udp4");
  const questions: string[] = [];
  sock.on("message", (msg, from) => {
    const n = readName(msg, 12);
    if (n) questions.push(n.name);
    const r = answer(msg, records);
    if (r) sock.send(r, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    sock.once("error", reject);
    sock.bind(port, host, () => resolve());
  });
  return { questions, close: () => sock.close() };
}
