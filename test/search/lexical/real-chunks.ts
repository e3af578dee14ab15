import { loadBeir } from '../../../src/eval/beir-dataset.js';
import { chunkDocument } from '../../../src/ingest/chunking/chunker.js';
import { analyze } from '../../../src/analysis/analyzer.js';
import type { LexicalDoc } from '../../../src/search/lexical/lexical-index.js';
import { corpusPath } from '../../support/corpus.js';

/** Real chunks for engine tests: the first SciFact abstracts, chunked and analyzed as the library does. */
export async function sciFactSample(abstracts: number): Promise<{ chunks: LexicalDoc[]; claims: string[] }> {
  const dataset = await loadBeir(corpusPath('beir', 'scifact'), 'test');
  const chunks: LexicalDoc[] = [];
  dataset.corpus.slice(0, abstracts).forEach((doc, d) => {
    const title = analyze(doc.title);
    for (const chunk of chunkDocument({ product: 'p', version: '1', collection: 'c', document: `d${d}` }, [{ number: 1, markdown: doc.text }])) {
      chunks.push({ rowid: 1000 + chunks.length * 3, docRowid: 10 + d, fields: [title, analyze(chunk.headingPath.join(' ')), analyze(chunk.text)] });
    }
  });
  return { chunks, claims: [...dataset.queries.values()] };
}
