import { analyze } from '../../analysis/analyzer.js';
import type { LexicalDoc } from '../lexical/lexical-input.js';
import type { IndexedChunk } from '../../store/store.js';

/**
 * A stored chunk as the lexical index takes it: its title, heading path and text analyzed by the
 * one analyzer queries go through. Chunks of one document share a title, analyzed once.
 *
 * The title field holds the product's name with the document's title: people name the product
 * ("ASAv autoscale", "FTDv"), manuals often do not on every page (a newer edition says "ASA
 * virtual"), and the same paragraph is reused across products. With the name in the title field,
 * the page of the product the question names outranks its look-alike in a sibling product.
 * (Changing what the fields hold changes LEXICAL_FORMAT: saved indexes are rebuilt.)
 */
export class ChunkAnalyzer {
  private titleOf = { docRowid: Number.NaN, title: '', tokens: [] as string[] };

  lexicalDoc(chunk: IndexedChunk): LexicalDoc {
    const cached = this.titleOf;
    if (cached.docRowid !== chunk.docRowid || cached.title !== chunk.title) {
      this.titleOf = { docRowid: chunk.docRowid, title: chunk.title, tokens: analyze(`${chunk.title} ${productName(chunk.product, chunk.productLabel)}`) };
    }
    return { rowid: chunk.rowid, docRowid: chunk.docRowid, fields: [this.titleOf.tokens, analyze(chunk.headingPath.join(' ')), analyze(chunk.text)] };
  }
}

/** The label, and the slug when it has words the label lacks ("Cisco Finesse" and "finesse" are one name). */
export function productName(product: string, productLabel: string): string {
  const label = new Set(analyze(productLabel));
  return analyze(product).every((t) => label.has(t)) ? productLabel : `${productLabel} ${product}`;
}
