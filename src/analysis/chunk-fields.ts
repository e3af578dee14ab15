import { analyze } from './analyzer.js';

/** A chunk's three indexed fields, analyzed (tokens joined by spaces), and their lengths in tokens. */
export interface ChunkFields {
  fields: { title: string; headings: string; body: string };
  lengths: { title: number; headings: number; body: number };
}

/**
 * What the lexical index holds of a chunk: the document title, the heading path and the text, each
 * analyzed. The indexer writes it, and a store that keeps only the raw text derives it again here.
 */
export function chunkFields(analyzedTitle: readonly string[], headingPath: readonly string[], text: string): ChunkFields {
  const headings = analyze(headingPath.join(' '));
  const body = analyze(text);
  return {
    fields: { title: analyzedTitle.join(' '), headings: headings.join(' '), body: body.join(' ') },
    lengths: { title: analyzedTitle.length, headings: headings.length, body: body.length },
  };
}
