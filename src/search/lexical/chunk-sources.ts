import type { Signature } from '../near-duplicates.js';
import { foldSignatureOf } from './fold-signatures.js';
import type { ChunkSource } from './segment-builder.js';
import type { LexicalLiveState, LexicalSegmentData } from './segment-data.js';
import type { LexicalDoc } from './lexical-input.js';
import { termCount, termText } from './term-dictionary.js';
import { decodeVarints } from './varint.js';

/** New chunks: tokens are given ids in order of first appearance. */
export class DocsSource implements ChunkSource {
  private readonly terms: string[] = [];
  private readonly tokenIds: Uint32Array[];
  private readonly fieldLengths: Uint32Array;
  /** Total title, headings and body lengths of the batch. */
  readonly lengthSums: [number, number, number] = [0, 0, 0];

  constructor(private readonly docs: readonly LexicalDoc[]) {
    const ids = new Map<string, number>();
    this.fieldLengths = new Uint32Array(3 * docs.length);
    this.tokenIds = docs.map((doc, i) => {
      const [title, headings, body] = doc.fields;
      const out = new Uint32Array(title.length + headings.length + body.length);
      let at = 0;
      for (let f = 0; f < 3; f++) {
        const field = doc.fields[f]!;
        this.fieldLengths[3 * i + f] = field.length;
        this.lengthSums[f] = this.lengthSums[f]! + field.length;
        for (const token of field) {
          let id = ids.get(token);
          if (id === undefined) {
            id = this.terms.length;
            ids.set(token, id);
            this.terms.push(token);
          }
          out[at++] = id;
        }
      }
      return out;
    });
  }

  get count(): number {
    return this.docs.length;
  }

  get termCount(): number {
    return this.terms.length;
  }

  term(id: number): string {
    return this.terms[id]!;
  }

  rowid(i: number): number {
    return this.docs[i]!.rowid;
  }

  docRowid(i: number): number {
    return this.docs[i]!.docRowid;
  }

  tokens(i: number, lengths: Uint32Array): Uint32Array {
    lengths.set(this.fieldLengths.subarray(3 * i, 3 * i + 3));
    return this.tokenIds[i]!;
  }

  alike(i: number): boolean {
    return this.docs[i]!.alike === true;
  }

  contents(i: number): boolean {
    return this.docs[i]!.contents === true;
  }

  signature(i: number): Signature | undefined {
    return this.docs[i]!.signature;
  }
}

interface Part {
  seg: LexicalSegmentData;
  /** Segment term id → merged term id. */
  remap: Uint32Array;
  /** Live local chunk numbers, ascending. */
  chunks: Uint32Array;
}

/** The live chunks of several segments, in segment order, read back from their forward indexes. */
export class MergeSource implements ChunkSource {
  private readonly parts: Part[];
  private readonly starts: number[] = [];
  private readonly terms: string[] = [];
  private scratch = new Uint32Array(1024);
  readonly count: number;

  constructor(segments: readonly { data: LexicalSegmentData; live: LexicalLiveState }[]) {
    const ids = new Map<string, number>();
    let total = 0;
    this.parts = segments.map(({ data, live }) => {
      const remap = new Uint32Array(termCount(data));
      for (let t = 0; t < remap.length; t++) {
        if (live.liveDf[t] === 0) continue; // no live chunk refers to it
        const text = termText(data, t);
        let id = ids.get(text);
        if (id === undefined) {
          id = this.terms.length;
          ids.set(text, id);
          this.terms.push(text);
        }
        remap[t] = id;
      }
      const chunks: number[] = [];
      for (let c = 0; c < live.removed.length; c++) if (live.removed[c] === 0) chunks.push(c);
      this.starts.push(total);
      total += chunks.length;
      return { seg: data, remap, chunks: Uint32Array.from(chunks) };
    });
    this.count = total;
  }

  get termCount(): number {
    return this.terms.length;
  }

  term(id: number): string {
    return this.terms[id]!;
  }

  private locate(i: number): { part: Part; local: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    const part = this.parts[lo]!;
    return { part, local: part.chunks[i - this.starts[lo]!]! };
  }

  rowid(i: number): number {
    const { part, local } = this.locate(i);
    return part.seg.rowids[local]!;
  }

  docRowid(i: number): number {
    const { part, local } = this.locate(i);
    return part.seg.docRowids[local]!;
  }

  tokens(i: number, lengths: Uint32Array): Uint32Array {
    const { part, local } = this.locate(i);
    const { seg, remap } = part;
    lengths.set(seg.lengths.subarray(3 * local, 3 * local + 3));
    const total = lengths[0]! + lengths[1]! + lengths[2]!;
    if (this.scratch.length < total) this.scratch = new Uint32Array(total * 2);
    decodeVarints(seg.forward, seg.forwardStart[local]!, total, this.scratch);
    for (let j = 0; j < total; j++) this.scratch[j] = remap[this.scratch[j]!]!;
    return this.scratch.subarray(0, total);
  }

  alike(i: number): boolean {
    const { part, local } = this.locate(i);
    return part.seg.alike[local] === 1;
  }

  contents(i: number): boolean {
    const { part, local } = this.locate(i);
    return part.seg.contents[local] === 1;
  }

  signature(i: number): Signature | undefined {
    const { part, local } = this.locate(i);
    return foldSignatureOf(part.seg, local);
  }
}
