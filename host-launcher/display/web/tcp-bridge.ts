// The web viewer in front of a VNC server on TCP (QEMU's, under `tsos run --display`).
// The bridge does the VNC password handshake with the server itself and offers the
// browser security type None: the URL token is the web path's secret (as with our
// own broker), so the password never reaches the page, its URL or browser history,
// and noVNC needs no credentials flow. After both handshakes it relays bytes both
// ways, with backpressure towards the browser and a cap on what waits for the server.
import { connect, type Socket } from "node:net";
import { vncAuthResponse } from "../rfb/auth.ts";
import { SECURITY, VERSION, type Transport } from "../rfb/session.ts";
import type { RfbEndpoint, RfbLink } from "./server.ts";

export interface TcpRfbTarget {
  host: string;
  port: number;
  /** The server's VNC password; absent: only a server offering None is accepted. */
  password?: string;
  /** Bridged connections at once (default 16); more are refused with a reason. */
  maxClients?: number;
  /** Time for the server handshake plus the browser's (default 10 s). */
  handshakeMs?: number;
  log?: (line: string) => void;
}

/** Handshake messages are small; a failure reason longer than this is not RFB. */
const MAX_HANDSHAKE_BYTES = 64 * 1024;
/** Browser bytes waiting for the server to read them; past this the viewer is dropped. */
const MAX_PENDING_TO_SERVER = 1024 * 1024;

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** A reason after a zero count (no security types) or a failed SecurityResult, as RFC 6143 frames it. */
const withReason = (head: Buffer, reason: string) => Buffer.concat([head, u32(Buffer.byteLength(reason)), Buffer.from(reason)]);

type State = "server" | "client-version" | "client-security" | "refusing" | "relay" | "closed";

/** One browser connection bridged to one connection to the VNC server. */
class TcpRfbBridge implements RfbLink {
  private state: State = "server";
  private fromServer = Buffer.alloc(0);
  private fromClient = Buffer.alloc(0);
  private refusal = "";
  private readonly sock: Socket;
  private readonly timer: ReturnType<typeof setTimeout>;
  /** Parses the server's side of the handshake; each step returns false while it needs more bytes. */
  private serverStep: () => boolean = () => this.onServerVersion();

  constructor(
    private readonly target: TcpRfbTarget,
    private readonly transport: Transport,
    private readonly peer: string,
    private readonly onEnd: () => void,
  ) {
    this.timer = setTimeout(() => this.fail("handshake timed out"), target.handshakeMs ?? 10_000);
    this.sock = connect({ host: target.host, port: target.port });
    this.sock.on("data", (d: Buffer) => this.onServerData(d));
    // After a refusal we dropped the server ourselves: its close is no news.
    this.sock.on("error", (e) => this.state !== "refusing" && this.refuseOrFail(`VNC server ${target.host}:${target.port}: ${e.message}`));
    this.sock.on("close", () => this.state !== "refusing" && this.refuseOrFail("the VNC server closed the connection"));
  }

  private log(line: string): void {
    (this.target.log ?? ((l) => console.error(`display: ${l}`)))(line);
  }

  // ---- the VNC server's side: we are its client ----

  private onServerData(d: Buffer): void {
    if (this.state === "relay") return this.toClient(d);
    if (this.state !== "server") return; // the server speaks only after ClientInit, which the browser has not sent yet
    this.fromServer = Buffer.concat([this.fromServer, d]);
    if (this.fromServer.length > MAX_HANDSHAKE_BYTES) {
      this.refuseOrFail("the VNC server's handshake is too long");
      return;
    }
    while (this.state === "server" && this.serverStep());
  }

  private take(n: number): Buffer | undefined {
    if (this.fromServer.length < n) return undefined;
    const b = this.fromServer.subarray(0, n);
    this.fromServer = this.fromServer.subarray(n);
    return b;
  }

  private onServerVersion(): boolean {
    const b = this.take(12);
    if (!b) return false;
    const v = b.toString("latin1");
    const m = /^RFB (\d{3})\.(\d{3})\n$/.exec(v);
    if (!m || Number(m[1]) * 1000 + Number(m[2]) < 3008) return this.refuseOrFail(`the VNC server speaks ${JSON.stringify(v)}, not RFB 3.8`);
    this.sock.write(VERSION);
    this.serverStep = () => this.onServerTypes();
    return true;
  }

  private onServerTypes(): boolean {
    const n = this.fromServer[0];
    if (n === undefined) return false;
    if (n === 0) return this.serverReason(1, "the VNC server refused the connection");
    const types = this.fromServer.subarray(1, 1 + n);
    if (types.length < n) return false;
    this.take(1 + n);
    const type = this.target.password !== undefined && types.includes(SECURITY.VNC) ? SECURITY.VNC : types.includes(SECURITY.NONE) ? SECURITY.NONE : 0;
    if (!type) return this.refuseOrFail(`the VNC server offers security types ${[...types].join(",")}; the bridge speaks None and VNC password`);
    this.sock.write(Uint8Array.of(type));
    this.serverStep = type === SECURITY.VNC ? () => this.onServerChallenge() : () => this.onServerResult();
    return true;
  }

  private onServerChallenge(): boolean {
    const challenge = this.take(16);
    if (!challenge) return false;
    this.sock.write(vncAuthResponse(this.target.password!, challenge));
    this.serverStep = () => this.onServerResult();
    return true;
  }

  private onServerResult(): boolean {
    if (this.fromServer.length < 4) return false;
    if (this.fromServer.readUInt32BE(0) !== 0) return this.serverReason(4, "VNC authentication failed");
    this.take(4);
    // Authenticated: now greet the browser as a server that needs no password.
    this.state = "client-version";
    this.send(Buffer.from(VERSION));
    this.onClientData(new Uint8Array(0));
    return false;
  }

  /** A failure reason after `skip` bytes; the whole message must be here before we pass it on. */
  private serverReason(skip: number, what: string): boolean {
    if (this.fromServer.length < skip + 4) return false;
    const len = this.fromServer.readUInt32BE(skip);
    if (this.fromServer.length < skip + 4 + len) return false;
    return this.refuseOrFail(`${what}: ${this.fromServer.subarray(skip + 4, skip + 4 + len).toString("latin1")}`);
  }

  // ---- the browser's side: we are its server, security None ----

  receive(b: Uint8Array): void {
    if (this.state === "relay") return this.toServer(b);
    this.onClientData(b);
  }

  private onClientData(b: Uint8Array): void {
    if (this.state === "closed") return;
    this.fromClient = Buffer.concat([this.fromClient, b]);
    if (this.fromClient.length > MAX_HANDSHAKE_BYTES) return this.fail("the viewer sent too much before the handshake ended");
    if ((this.state === "client-version" || this.state === "refusing") && this.fromClient.length >= 12) {
      const v = this.fromClient.subarray(0, 12).toString("latin1");
      this.fromClient = this.fromClient.subarray(12);
      if (this.state === "refusing") return this.refuse(Buffer.of(0), this.refusal);
      if (v !== VERSION) return this.refuse(Buffer.of(0), `unsupported protocol version ${JSON.stringify(v)} (only RFB 003.008)`);
      this.send(Buffer.of(1, SECURITY.NONE));
      this.state = "client-security";
    }
    if (this.state === "client-security" && this.fromClient.length >= 1) {
      const type = this.fromClient[0];
      if (type !== SECURITY.NONE) return this.refuse(u32(1), `security type ${type} was not offered`);
      this.send(u32(0));
      clearTimeout(this.timer);
      this.state = "relay";
      const rest = this.fromClient.subarray(1); // ClientInit and whatever followed it
      this.fromClient = Buffer.alloc(0);
      this.log(`web viewer ${this.peer} bridged to VNC ${this.target.host}:${this.target.port}`);
      if (rest.length) this.toServer(rest);
    }
  }

  // ---- relaying ----

  private toServer(b: Uint8Array): void {
    this.sock.write(b);
    if (this.sock.writableLength > MAX_PENDING_TO_SERVER) this.fail(`the VNC server is not reading (${this.sock.writableLength} bytes queued)`);
  }

  private toClient(b: Uint8Array): void {
    if (!this.send(b)) this.sock.pause(); // resumed by drained()
  }

  /** Sends to the browser; false when it must drain first. */
  private send(b: Uint8Array): boolean {
    const { taken, blocked } = this.transport.write(b);
    if (taken < b.length) this.fail("the viewer's connection dropped data");
    return !blocked;
  }

  /** The browser's WebSocket can take more. */
  drained(): void {
    if (this.state === "relay") this.sock.resume();
  }

  // ---- ending ----

  /** Before the browser's handshake, a failure can still reach noVNC as a reason it shows. Returns false (parse no further). */
  private refuseOrFail(reason: string): false {
    if (this.state !== "server") {
      this.fail(reason);
      return false;
    }
    this.refusal = reason;
    this.state = "refusing";
    this.sock.destroy();
    this.send(Buffer.from(VERSION));
    this.onClientData(new Uint8Array(0)); // the browser may have answered already
    return false;
  }

  private refuse(head: Buffer, reason: string): void {
    this.send(withReason(head, reason));
    this.fail(reason);
  }

  private fail(reason: string): void {
    if (this.state === "closed") return;
    this.log(`web viewer ${this.peer} disconnected: ${reason}`);
    this.transport.end();
    this.closed();
  }

  /** The browser went away, or we ended: drop the server connection too. */
  closed(): void {
    if (this.state === "closed") return;
    this.state = "closed";
    clearTimeout(this.timer);
    this.sock.destroy();
    this.onEnd();
  }
}

/** A web viewer endpoint that bridges each WebSocket to the RFB server at `target`. */
export function tcpRfbEndpoint(target: TcpRfbTarget): RfbEndpoint {
  let open = 0;
  const max = target.maxClients ?? 16;
  return (transport, peer) => {
    if (open >= max) {
      // Refuse the RFB way, so noVNC shows why.
      transport.write(Buffer.concat([Buffer.from(VERSION), withReason(Buffer.of(0), `too many viewers (limit ${max})`)]));
      transport.end();
      return { receive() {}, drained() {}, closed() {} };
    }
    open++;
    return new TcpRfbBridge(target, transport, peer, () => open--);
  };
}
