// The DHCP client's wire: an AF_PACKET datagram socket on one interface, so it
// can send and receive before the interface has an address. Receiving polls a
// non-blocking socket only while an exchange is in flight.
import { AF_PACKET, bind, closeFd, recvNonBlocking, sendto, socket, SOCK_DGRAM, SOCK_NONBLOCK } from "../../../lib/ffi/libc.ts";
import { CLIENT_PORT, SERVER_PORT } from "./packet.ts";
import { unwrapUdp, wrapUdp } from "./ipudp.ts";

const ETH_P_IP = 0x0800;

function sockaddrLl(ifindex: number, dstMac?: Uint8Array): Uint8Array {
  const a = new Uint8Array(20);
  const dv = new DataView(a.buffer);
  dv.setUint16(0, AF_PACKET, true);
  dv.setUint16(2, ETH_P_IP); // network byte order
  dv.setInt32(4, ifindex, true);
  if (dstMac) {
    a[11] = 6;
    a.set(dstMac.subarray(0, 6), 12);
  }
  return a;
}

export class PacketLink {
  private fd: number;
  private ipId = 1;

  constructor(readonly ifindex: number) {
    this.fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK, ((ETH_P_IP & 0xff) << 8) | (ETH_P_IP >> 8));
    bind(this.fd, sockaddrLl(ifindex));
  }

  /** Broadcast a DHCP message from 0.0.0.0 (or `src`) to 255.255.255.255:67. */
  send(dhcp: Uint8Array, src = "0.0.0.0"): void {
    sendto(this.fd, wrapUdp(dhcp, src, "255.255.255.255", CLIENT_PORT, SERVER_PORT, this.ipId++), sockaddrLl(this.ifindex, new Uint8Array([255, 255, 255, 255, 255, 255])));
  }

  /** DHCP payloads addressed to the client port, until `accept` returns a value or the timeout. */
  async receive<T>(timeoutMs: number, accept: (payload: Uint8Array) => T | undefined): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const frame = recvNonBlocking(this.fd, 2048);
      if (!frame) {
        await Bun.sleep(10);
        continue;
      }
      const d = unwrapUdp(frame);
      if (!d || d.dport !== CLIENT_PORT || d.sport !== SERVER_PORT) continue;
      const v = accept(d.payload);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  close(): void {
    closeFd(this.fd);
  }
}
