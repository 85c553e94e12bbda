// Bun sockets accept only what fits in the kernel buffer; the rest must wait
// for `drain`. This queue keeps frames whole and in order across partial writes.

export interface PartialWriter {
  write(data: Uint8Array): number;
}

export class SocketWriter {
  private queue: Uint8Array[] = [];

  constructor(private readonly sock: PartialWriter) {}

  write(data: Uint8Array): void {
    if (this.queue.length) {
      this.queue.push(data);
      return;
    }
    const n = Math.max(0, this.sock.write(data));
    if (n < data.length) this.queue.push(data.subarray(n));
  }

  /** Call from the socket's drain handler. */
  drain(): void {
    while (this.queue.length) {
      const head = this.queue[0]!;
      const n = Math.max(0, this.sock.write(head));
      if (n < head.length) {
        this.queue[0] = head.subarray(n);
        return;
      }
      this.queue.shift();
    }
  }

  get pendingBytes(): number {
    return this.queue.reduce((a, b) => a + b.length, 0);
  }
}
