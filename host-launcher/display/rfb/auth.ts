// VNC Authentication (RFC 6143 7.2.2): the client DES-encrypts a 16-byte
// challenge with the password as key. The RFB quirk: each key byte is used
// bit-reversed (the original code fed DES its key LSB-first).
import { createCipheriv, randomBytes, timingSafeEqual } from "node:crypto";

/** Only the first 8 characters of a VNC password matter to the protocol. */
export const VNC_PASSWORD_MAX = 8;

function reverseBits(b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
  return r;
}

export function vncAuthResponse(password: string, challenge: Uint8Array): Uint8Array {
  const key = Buffer.alloc(8);
  const pw = Buffer.from(password, "latin1");
  for (let i = 0; i < 8 && i < pw.length; i++) key[i] = reverseBits(pw[i]!);
  const des = createCipheriv("des-ecb", key, null);
  des.setAutoPadding(false);
  return Buffer.concat([des.update(challenge), des.final()]);
}

export function vncChallenge(): Uint8Array {
  return randomBytes(16);
}

export function vncAuthValid(password: string, challenge: Uint8Array, response: Uint8Array): boolean {
  const want = vncAuthResponse(password, challenge);
  return response.length === want.length && timingSafeEqual(want, response);
}
