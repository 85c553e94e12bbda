// virtio-vsock packet header (spec 5.10.6): 44 bytes, little-endian. Pure codec.
//
// Public API (stable): VSOCK_HDR_LEN, OP, VSOCK_TYPE_STREAM, SHUTDOWN_F, HOST_CID,
//   interface VsockHeader, encodeHeader(h), decodeHeader(bytes)
export const VSOCK_HDR_LEN = 44;
export const OP = { INVALID: 0, REQUEST: 1, RESPONSE: 2, RST: 3, SHUTDOWN: 4, RW: 5, CREDIT_UPDATE: 6, CREDIT_REQUEST: 7 } as const;
export const VSOCK_TYPE_STREAM = 1;
export const SHUTDOWN_F = { RCV: 1, SEND: 2 } as const;
/** The host's well-known CID (VMADDR_CID_HOST). */
export const HOST_CID = 2n;

export interface VsockHeader {
  srcCid: bigint;
  dstCid: bigint;
  srcPort: number;
  dstPort: number;
  len: number;
  type: number;
  op: number;
  flags: number;
  bufAlloc: number;
  fwdCnt: number;
}

export function encodeHeader(h: VsockHeader): Uint8Array {
  const b = new Uint8Array(VSOCK_HDR_LEN);
  const v = new DataView(b.buffer);
  v.setBigUint64(0, h.srcCid, true);
  v.setBigUint64(8, h.dstCid, true);
  v.setUint32(16, h.srcPort >>> 0, true);
  v.setUint32(20, h.dstPort >>> 0, true);
  v.setUint32(24, h.len >>> 0, true);
  v.setUint16(28, h.type, true);
  v.setUint16(30, h.op, true);
  v.setUint32(32, h.flags >>> 0, true);
  v.setUint32(36, h.bufAlloc >>> 0, true);
  v.setUint32(40, h.fwdCnt >>> 0, true);
  return b;
}

/** Decodes the first 44 bytes; the caller has checked there are that many. */
export function decodeHeader(b: Uint8Array): VsockHeader {
  const v = new DataView(b.buffer, b.byteOffset, VSOCK_HDR_LEN);
  return {
    srcCid: v.getBigUint64(0, true),
    dstCid: v.getBigUint64(8, true),
    srcPort: v.getUint32(16, true),
    dstPort: v.getUint32(20, true),
    len: v.getUint32(24, true),
    type: v.getUint16(28, true),
    op: v.getUint16(30, true),
    flags: v.getUint32(32, true),
    bufAlloc: v.getUint32(36, true),
    fwdCnt: v.getUint32(40, true),
  };
}
