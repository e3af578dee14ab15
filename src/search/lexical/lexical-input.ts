import type { Bm25Params } from './bm25-params.js';
import { MIN_HASHES, type Signature } from '../near-duplicates.js';
import { IndexInputError } from '../segments/index-input-error.js';

/** What the lexical index takes in, and the checks that keep bad input out of its typed arrays. */
export interface LexicalDoc {
  /** The chunk's stable global id (the store's rowid). */
  rowid: number;
  /** The document the chunk belongs to (filters select documents). */
  docRowid: number;
  /** Analyzed tokens of title, headings and body, stop words included, as `analyze()` returns them. */
  fields: readonly [readonly string[], readonly string[], readonly string[]];
  /**
   * The chunk's folding signature, `signatureOf(text)` (near-duplicates.ts), kept with the chunk so
   * that folding a search's candidates reads no text. Without it, folding computes it from the text.
   */
  signature?: Signature;
  /**
   * The chunk's text is analysed alike whole and word by word (match-evidence.ts analysedAlike), so
   * its indexed terms stand in for it when a search judges its words. Without it, the text is read.
   */
  alike?: boolean;
  /** The chunk is a table of contents (contents-listing.ts): it ranks below passages. */
  contents?: boolean;
}

export interface LexicalQuery {
  /** Scored terms with their frequency in the query, in query order (the order scores are summed in). */
  terms: ReadonlyMap<string, number>;
  /** Token sequences whose adjacent occurrence in one field boosts a chunk. */
  phrases: readonly (readonly string[])[];
}


const TOKENS_HINT = 'Pass analyzed tokens, as analyze() in src/search/analyzer.ts returns them.';

export function validateDocs(docs: readonly LexicalDoc[]): void {
  if (!Array.isArray(docs)) throw new IndexInputError('add()', 'expected an array of chunks', 'Pass LexicalDoc[]');
  docs.forEach((doc, i) => {
    const where = `add(): chunk ${i}`;
    if (doc === null || typeof doc !== 'object') throw new IndexInputError(where, 'is not an object', 'Pass { rowid, docRowid, fields }');
    if (!Number.isSafeInteger(doc.rowid)) throw new IndexInputError(where, `rowid ${String(doc.rowid)} is not a safe integer`, 'Use the store\'s integer rowid');
    if (!Number.isSafeInteger(doc.docRowid)) throw new IndexInputError(`${where} (rowid ${doc.rowid})`, `docRowid ${String(doc.docRowid)} is not a safe integer`, 'Use the document\'s integer rowid');
    if (doc.alike !== undefined && typeof doc.alike !== 'boolean') throw new IndexInputError(`${where} (rowid ${doc.rowid})`, 'alike is not a boolean', 'Pass analysedAlike(text), or leave it out');
    if (doc.contents !== undefined && typeof doc.contents !== 'boolean') throw new IndexInputError(`${where} (rowid ${doc.rowid})`, 'contents is not a boolean', 'Pass isContentsListing(text), or leave it out');
    if (doc.signature !== undefined && !isSignature(doc.signature)) {
      throw new IndexInputError(`${where} (rowid ${doc.rowid})`, 'signature is not a folding signature', 'Pass signatureOf(text) from near-duplicates.ts, or leave it out');
    }
    if (!Array.isArray(doc.fields) || doc.fields.length !== 3) {
      throw new IndexInputError(`${where} (rowid ${doc.rowid})`, 'fields must hold exactly three token arrays (title, headings, body)', TOKENS_HINT);
    }
    doc.fields.forEach((field: unknown, f: number) => {
      if (!Array.isArray(field)) throw new IndexInputError(`${where} (rowid ${doc.rowid})`, `fields[${f}] is not an array`, TOKENS_HINT);
      for (let j = 0; j < field.length; j++) {
        const token: unknown = field[j];
        if (typeof token !== 'string' || token.length === 0) {
          throw new IndexInputError(`${where} (rowid ${doc.rowid})`, `fields[${f}][${j}] is not a non-empty string`, TOKENS_HINT);
        }
      }
    });
  });
}

function isSignature(value: Signature): boolean {
  const { shingles, minHashes } = value ?? {};
  if (!(shingles instanceof Uint32Array) || !(minHashes instanceof Uint32Array) || minHashes.length !== MIN_HASHES) return false;
  for (let i = 1; i < shingles.length; i++) if (shingles[i - 1]! >= shingles[i]!) return false;
  return true;
}

export function validateQuery(query: LexicalQuery, k: number, allowed: ReadonlySet<number> | undefined): void {
  if (!Number.isSafeInteger(k) || k < 0) throw new IndexInputError('search()', `k ${String(k)} is not a non-negative integer`, 'Ask for a whole number of results');
  if (!(query?.terms instanceof Map)) throw new IndexInputError('search()', 'query.terms is not a Map', 'Pass parseQuery(text) or a Map of term → count');
  for (const [term, count] of query.terms) {
    if (typeof term !== 'string' || term.length === 0) throw new IndexInputError('search()', 'a query term is not a non-empty string', TOKENS_HINT);
    if (typeof count !== 'number' || !(count > 0) || !Number.isFinite(count)) {
      throw new IndexInputError('search()', `term "${term}" has count ${String(count)}`, 'Counts are positive numbers');
    }
  }
  if (!Array.isArray(query.phrases)) throw new IndexInputError('search()', 'query.phrases is not an array', 'Pass [] when there are no phrases');
  query.phrases.forEach((phrase, i) => {
    if (!Array.isArray(phrase) || phrase.length === 0 || phrase.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new IndexInputError('search()', `phrase ${i} is not a non-empty array of non-empty strings`, TOKENS_HINT);
    }
  });
  if (allowed !== undefined && !(allowed instanceof Set)) {
    throw new IndexInputError('search()', 'the document filter is not a Set', 'Pass a Set of document rowids, or nothing');
  }
}

export function validateParams(params: Bm25Params): Bm25Params {
  const { k1, b, fieldWeights, phraseBoost } = params;
  const bad = (what: string, value: unknown, rule: string) => new IndexInputError('BM25 parameters', `${what} is ${String(value)}`, rule);
  if (!(Number.isFinite(k1) && k1 > 0)) throw bad('k1', k1, 'k1 must be a positive number');
  if (!(b >= 0 && b <= 1)) throw bad('b', b, 'b must be between 0 and 1');
  if (!Array.isArray(fieldWeights) || fieldWeights.length !== 3 || !fieldWeights.every((w) => Number.isFinite(w) && w >= 0)) {
    throw bad('fieldWeights', fieldWeights, 'Give three non-negative weights (title, headings, body)');
  }
  if (!(Number.isFinite(phraseBoost) && phraseBoost >= 0)) throw bad('phraseBoost', phraseBoost, 'phraseBoost must be a non-negative number');
  return { k1, b, fieldWeights: [fieldWeights[0], fieldWeights[1], fieldWeights[2]], phraseBoost };
}
