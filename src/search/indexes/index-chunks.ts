import { analyze } from '../../analysis/analyzer.js';
import type { LexicalDoc } from '../lexical/lexical-input.js';
import type { IndexedChunk } from '../../store/store.js';
import { analysedAlike } from '../match-evidence.js';
import { isContentsListing } from '../contents-listing.js';
import { signatureOf, type Signature } from '../near-duplicates.js';

/** Signatures kept by text while one analyzer indexes a batch or rebuilds the index: a bound on its memory. */
const SIGNATURES_KEPT = 50_000;

/**
 * A stored chunk as the lexical index takes it: its title, heading path and text analyzed by the
 * one analyzer queries go through. Chunks of one document share a title, analyzed once.
 *
 * The title field holds the product's name with the document's title: people name the product
 * ("ASAv autoscale", "FTDv"), manuals often do not on every page (a newer edition says "ASA
 * virtual"), and the same paragraph is reused across products. With the name in the title field,
 * the page of the product the question names outranks its look-alike in a sibling product.
 * Each chunk also takes its folding signature along (lexical/fold-signatures.ts), and whether it
 * is a table of contents (contents-listing.ts).
 * (Changing what the fields hold changes LEXICAL_FORMAT: saved indexes are rebuilt.)
 */
export class ChunkAnalyzer {
  private titleOf = { docRowid: Number.NaN, title: '', tokens: [] as string[] };
  private readonly signatures = new Map<string, Signature>();

  lexicalDoc(chunk: IndexedChunk): LexicalDoc {
    const cached = this.titleOf;
    if (cached.docRowid !== chunk.docRowid || cached.title !== chunk.title) {
      this.titleOf = { docRowid: chunk.docRowid, title: chunk.title, tokens: analyze(`${chunk.title} ${productName(chunk.product, chunk.productLabel)}`) };
    }
    return { rowid: chunk.rowid, docRowid: chunk.docRowid, fields: [this.titleOf.tokens, analyze(chunk.headingPath.join(' ')), analyze(chunk.text)], signature: this.signatureOf(chunk.text), alike: analysedAlike(chunk.text), contents: isContentsListing(chunk.text) };
  }

  /** Shingled once per distinct text: versions repeat most passages word for word (29k texts in 104k chunks of the 100k bench library). */
  private signatureOf(text: string): Signature {
    let signature = this.signatures.get(text);
    if (!signature) {
      if (this.signatures.size >= SIGNATURES_KEPT) this.signatures.clear();
      this.signatures.set(text, (signature = signatureOf(text)));
    }
    return signature;
  }
}

/** The label, and the slug when it has words the label lacks ("Cisco Finesse" and "finesse" are one name). */
export function productName(product: string, productLabel: string): string {
  const label = new Set(analyze(productLabel));
  return analyze(product).every((t) => label.has(t)) ? productLabel : `${productLabel} ${product}`;
}
