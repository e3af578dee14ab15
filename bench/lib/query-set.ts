import { loadBeir } from '../../src/eval/beir-dataset.js';
import type { Library } from '../../src/service/library.js';
import { corpus } from './paths.js';
import { seededRandom, sample } from './random.js';
import { pageText } from './sentences.js';

/**
 * The fixed latency query set: half SciFact test claims (natural-language questions), half
 * headings and sentences sampled from the documentation in the library (what people paste).
 * It is drawn from the 10k library, which the 100k library contains, so both sizes answer the
 * same queries.
 */
export interface BenchQuery {
  text: string;
  source: 'scifact-claim' | 'doc-heading' | 'doc-sentence';
}

export async function latencyQueries(library: Library, count: number, seed: number): Promise<BenchQuery[]> {
  const random = seededRandom(seed);
  const claims = (await loadBeir(corpus.scifact, 'test'));
  const testIds = [...claims.qrels.keys()].filter((id) => claims.queries.has(id)).sort();
  const fromClaims: BenchQuery[] = sample(testIds, Math.ceil(count / 2), random).map((id) => ({ text: claims.queries.get(id)!, source: 'scifact-claim' }));

  // SciFact abstracts are already represented by the claims; the rest of the library is documentation.
  const documents = library.documents().filter((d) => d.key.product !== 'scifact').sort((a, b) => (a.docId < b.docId ? -1 : 1));
  const fromDocs: BenchQuery[] = [];
  const wanted = count - fromClaims.length;
  for (let attempt = 0; fromDocs.length < wanted && attempt < wanted * 20; attempt++) {
    const doc = documents[Math.floor(random() * documents.length)]!;
    const pages = library.pages(doc.docId);
    const page = pages[Math.floor(random() * pages.length)];
    if (!page) continue;
    const text = pageText(page.markdown);
    const heading = fromDocs.length % 2 === 0;
    const candidates = heading ? text.headings.filter((h) => h.split(' ').length >= 2) : text.sentences;
    const [picked] = sample(candidates, 1, random);
    if (picked && !fromDocs.some((q) => q.text === picked)) fromDocs.push({ text: picked, source: heading ? 'doc-heading' : 'doc-sentence' });
  }
  // Interleaved, so that any prefix of the set (warm-up, a short run) mixes both kinds.
  const mixed: BenchQuery[] = [];
  for (let i = 0; i < Math.max(fromClaims.length, fromDocs.length); i++) {
    if (fromClaims[i]) mixed.push(fromClaims[i]!);
    if (fromDocs[i]) mixed.push(fromDocs[i]!);
  }
  return mixed.slice(0, count);
}
