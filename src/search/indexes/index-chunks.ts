import { analyze } from '../../analysis/analyzer.js';
import type { LexicalDoc } from '../lexical/lexical-input.js';
import type { IndexedChunk } from '../../store/store.js';

/**
 * A stored chunk as the lexical index takes it: its title, heading path and text analyzed by the
 * one analyzer queries go through. Chunks of one document share a title, analyzed once.
 */
export class ChunkAnalyzer {
  private titleOf = { docRowid: Number.NaN, title: '', tokens: [] as string[] };

  lexicalDoc(chunk: IndexedChunk): LexicalDoc {
    const cached = this.titleOf;
    if (cached.docRowid !== chunk.docRowid || cached.title !== chunk.title) {
      this.titleOf = { docRowid: chunk.docRowid, title: chunk.title, tokens: analyze(chunk.title) };
    }
    return { rowid: chunk.rowid, docRowid: chunk.docRowid, fields: [this.titleOf.tokens, analyze(chunk.headingPath.join(' ')), analyze(chunk.text)] };
  }
}
