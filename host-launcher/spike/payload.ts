// Built-in micro payloads for the boot spike and the preflight speed probe:
// tiny real-mode programs, hand-assembled (the bytes are listed with their
// instructions), that need no firmware, page tables or devices beyond port I/O.

export const PAYLOAD_ADDR = 0x1000;
export const COM1 = 0x3f8;

export interface Payload {
  code: Uint8Array;
  /** Real-mode entry: CS = DS = ES = SS = 0, IP = PAYLOAD_ADDR. */
  entry: number;
}

const le16 = (n: number) => [n & 0xff, (n >> 8) & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** Writes `text` to COM1's data port one byte at a time, then HLTs. */
export function helloPayload(text = "hello\n"): Payload {
  const msgOffset = 15;
  const code = [
    0xba, ...le16(COM1), //         mov dx, 0x3f8
    0xbe, ...le16(PAYLOAD_ADDR + msgOffset), // mov si, msg
    0xac, //                        loop: lodsb
    0x84, 0xc0, //                  test al, al
    0x74, 0x03, //                  jz done
    0xee, //                        out dx, al
    0xeb, 0xf8, //                  jmp loop
    0xf4, //                        done: hlt
  ];
  if (code.length !== msgOffset) throw new Error("hello payload layout changed");
  return { code: new Uint8Array([...code, ...new TextEncoder().encode(text), 0]), entry: PAYLOAD_ADDR };
}

/** A register-only loop of 2*iterations instructions (dec ecx; jnz), then HLT: measures instruction speed. */
export function loopPayload(iterations: number): Payload {
  const code = [
    0x66, 0xb9, ...le32(iterations), // mov ecx, iterations
    0x66, 0x49, //                      loop: dec ecx
    0x75, 0xfc, //                      jnz loop
    0xf4, //                            hlt
  ];
  return { code: new Uint8Array(code), entry: PAYLOAD_ADDR };
}

/** `count` OUTs to an unused port, then HLT: every OUT is one exit to the VMM, so this measures exit cost. */
export function exitsPayload(count: number, port = 0x80): Payload {
  const code = [
    0x66, 0xb9, ...le32(count), // mov ecx, count
    0xba, ...le16(port), //        mov dx, port
    0xee, //                       loop: out dx, al
    0x66, 0x49, //                 dec ecx
    0x75, 0xfb, //                 jnz loop
    0xf4, //                       hlt
  ];
  return { code: new Uint8Array(code), entry: PAYLOAD_ADDR };
}
