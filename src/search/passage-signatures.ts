import { signatureOf, type Signature } from './near-duplicates.js';

/**
 * Folding signatures kept between searches, so that a query shingles only the passages no recent
 * query has seen. A signature is a function of the passage's text alone, so the text is the key:
 * an entry can never go stale when chunks are replaced or their rowids reused, and a passage
 * repeated word for word in several versions is shingled once for all of them.
 *
 * Bounded in two generations: when the current one is full it becomes the previous one, and what
 * was older is dropped; an entry read from the previous generation moves to the current one. That
 * keeps what recent searches touch without an LRU list, in at most twice `perGeneration` entries
 * (about 1 KB each with their text, which the chunk rows hold anyway while a search runs).
 */
export class PassageSignatures {
  private current = new Map<string, Signature>();
  private previous = new Map<string, Signature>();

  constructor(private readonly perGeneration = 10_000) {}

  of(text: string): Signature {
    let signature = this.current.get(text);
    if (signature) return signature;
    signature = this.previous.get(text) ?? signatureOf(text);
    if (this.current.size >= this.perGeneration) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(text, signature);
    return signature;
  }

  get size(): number {
    return this.current.size + this.previous.size;
  }
}
