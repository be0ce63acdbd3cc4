// Length-prefix framing for lessons/16-sockets.md: each message goes on the
// stream as a 4-byte big-endian length, then that many bytes.

export function frame(message: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(message.length, 0);
  return Buffer.concat([header, message]);
}

/** Collects stream chunks; returns every message completed so far. */
export class Deframer {
  #pending = Buffer.alloc(0); // bytes received but not yet part of a whole message

  push(chunk: Buffer): Buffer[] {
    this.#pending = Buffer.concat([this.#pending, chunk]);
    const messages: Buffer[] = [];
    while (this.#pending.length >= 4) {
      const length = this.#pending.readUInt32BE(0);
      if (this.#pending.length < 4 + length) break; // the rest has not arrived yet
      messages.push(this.#pending.subarray(4, 4 + length));
      this.#pending = this.#pending.subarray(4 + length);
    }
    return messages;
  }
}
