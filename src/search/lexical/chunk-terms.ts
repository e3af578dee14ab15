import type { LexicalSegmentData } from './segment-data.js';
import type { TermDictionaryData } from './term-dictionary.js';
import { decodeVarints } from './varint.js';

/**
 * One chunk's analysed terms as the index holds them (its forward index entry): term ids of its
 * segment's dictionary, title then headings then body, in text order. What reads a passage's words
 * per query (match evidence) reads these instead of running the analyzer over the text again.
 */
export interface ChunkTerms {
  /** The dictionary the ids belong to: the same object for every chunk of one segment. */
  dictionary: TermDictionaryData;
  docRowid: number;
  ids: Uint32Array;
  /** [start, end) of the headings' and the body's ids in `ids`. */
  headings: [number, number];
  body: [number, number];
  /** The ids stand in for the chunk's text (LexicalDoc.alike). */
  alike: boolean;
}

export function chunkTermsOf(data: LexicalSegmentData, local: number): ChunkTerms {
  const l = 3 * local;
  const title = data.lengths[l]!;
  const headings = data.lengths[l + 1]!;
  const ids = new Uint32Array(title + headings + data.lengths[l + 2]!);
  decodeVarints(data.forward, data.forwardStart[local]!, ids.length, ids);
  return { dictionary: data, docRowid: data.docRowids[local]!, ids, headings: [title, title + headings], body: [title + headings, ids.length], alike: data.alike[local] === 1 };
}
