// The launcher's one call to put a VM's screen on the host: the broker, its
// VNC port and optionally the web viewer, all on loopback.
import { DisplayBroker } from "./broker.ts";
import type { Framebuffer } from "./framebuffer.ts";
import type { InputSink } from "./input.ts";
import { listenRfb } from "./rfb/server.ts";
import { brokerEndpoint, newWebToken, serveWebViewer } from "./web/server.ts";

export interface DisplayOptions {
  framebuffer: Framebuffer;
  input: InputSink;
  /** The VM's VNC password (vm/secrets.ts); clients must know it. */
  password: string;
  /** Loopback port for VNC; 0 or absent picks a free one. */
  vncPort?: number;
  /** Also serve the browser viewer (noVNC) on a free loopback port. */
  web?: boolean;
  /** The web viewer's URL token; a fresh random one when absent. */
  webToken?: string;
  /** Desktop name shown by viewers. */
  name?: string;
  log?: (line: string) => void;
}

export interface Display {
  broker: DisplayBroker;
  /** "127.0.0.1:PORT" */
  vncAddress: string;
  /** The viewer's URL, token included; undefined without `web`. */
  webUrl?: string;
  close(): void;
}

export function startDisplay(o: DisplayOptions): Display {
  if (!o.password) throw new Error("a VNC password is required (vm/secrets.ts writeVncPassword)");
  const broker = new DisplayBroker({ framebuffer: o.framebuffer, input: o.input, name: o.name, log: o.log });
  const rfb = listenRfb(broker, { password: o.password }, o.vncPort ?? 0);
  const web = o.web ? serveWebViewer(brokerEndpoint(broker), o.webToken ?? newWebToken()) : undefined;
  return {
    broker,
    vncAddress: `${rfb.host}:${rfb.port}`,
    webUrl: web?.url,
    close() {
      web?.stop();
      rfb.stop();
      broker.close();
    },
  };
}
