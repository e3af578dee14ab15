/**
 * LEB128 variable-length integers for the forward index. Term ids are numbered by descending
 * frequency, so the common words of a chunk take one byte and most others two.
 */
export class ByteWriter {
  private bytes: Uint8Array;
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.bytes = new Uint8Array(Math.max(16, initialCapacity));
  }

  writeVarint(value: number): void {
    if (this.length + 5 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    let v = value >>> 0;
    while (v >= 0x80) {
      this.bytes[this.length++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.bytes[this.length++] = v;
  }

  /** The written bytes, trimmed. */
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** Decodes `count` varints starting at byte `start` into out[0..count). Returns the end byte. */
export function decodeVarints(bytes: Uint8Array, start: number, count: number, out: Uint32Array): number {
  let at = start;
  for (let i = 0; i < count; i++) {
    let byte = bytes[at++]!;
    let value = byte & 0x7f;
    for (let shift = 7; byte & 0x80; shift += 7) {
      byte = bytes[at++]!;
      value |= (byte & 0x7f) << shift;
    }
    out[i] = value >>> 0;
  }
  return at;
}
