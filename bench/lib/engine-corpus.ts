import fs from 'node:fs';
import path from 'node:path';
import { loadBeir, type BeirDataset } from '../../src/eval/beir-dataset.js';
import { chunkDocument } from '../../src/ingest/chunking/chunker.js';
import { analyze } from '../../src/search/analyzer.js';
import type { LexicalDoc } from '../../src/search/lexical/lexical-index.js';
import { corpus, CORPUS_DIR } from './paths.js';
import { seededRandom, sample } from './random.js';
import { pageText } from './sentences.js';

/**
 * Text for the engine benchmark, all of it real, read from ../shared/corpus.
 *
 * - SciFact: every abstract chunked and analyzed exactly as `openEvalIndex` does (one document per
 *   abstract; the title field is the abstract's title), for nDCG@10 and latency at 5.8k chunks.
 * - Synthetic sets of any size (100k, 1M chunks) re-mixed from real sentences: the pool is every
 *   SciFact sentence plus every prose sentence and heading of the Markdown trees under
 *   markdown/ (IIS, NetBox, FRRouting, Juniper), analyzed once, in corpus order. A synthetic
 *   document has 1–20 chunks (skewed to few) and a real title (a SciFact title or a Markdown
 *   heading); each chunk gets a real heading (70%) and a body made of a sliding window of
 *   consecutive pool sentences starting at a random place (so windows cross source documents),
 *   100–300 tokens long, where each sentence is swapped for a random pool sentence with
 *   probability 0.15 (the perturbation that keeps repeated windows from being duplicates).
 *   Everything is drawn from a seeded PRNG: a size and seed give the same chunks on any machine.
 */
export interface SciFactChunks {
  dataset: BeirDataset;
  chunks: LexicalDoc[];
  /** BEIR document id of each chunk, by rowid. */
  docIdOf: Map<number, string>;
}

export async function sciFactChunks(): Promise<SciFactChunks> {
  const dataset = await loadBeir(corpus.scifact, 'test');
  const chunks: LexicalDoc[] = [];
  const docIdOf = new Map<number, string>();
  dataset.corpus.forEach((doc, d) => {
    const key = { product: 'beir', version: '1', collection: 'scifact', document: `d-${d}` };
    const title = analyze(doc.title);
    for (const chunk of chunkDocument(key, [{ number: 1, markdown: doc.text }])) {
      const rowid = chunks.length + 1;
      chunks.push({ rowid, docRowid: d + 1, fields: [title, analyze(chunk.headingPath.join(' ')), analyze(chunk.text)] });
      docIdOf.set(rowid, doc.id);
    }
  });
  return { dataset, chunks, docIdOf };
}

export interface SentencePool {
  /** Analyzed sentences in corpus order. */
  sentences: string[][];
  /** Analyzed titles and headings. */
  titles: string[][];
  /** Raw headings and sentences of the Markdown trees, for sampled queries. */
  rawHeadings: string[];
  rawSentences: string[];
  sources: { scifactAbstracts: number; markdownFiles: number };
}

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...markdownFiles(full));
    else if (entry.name.endsWith('.md')) out.push(full);
  }
  return out;
}

export function sentencePool(dataset: BeirDataset): SentencePool {
  const sentences: string[][] = [];
  const titles: string[][] = [];
  const rawHeadings: string[] = [];
  const rawSentences: string[] = [];
  for (const doc of dataset.corpus) {
    titles.push(analyze(doc.title));
    for (const sentence of doc.text.split(/(?<=[.!?])\s+/)) {
      const tokens = analyze(sentence);
      if (tokens.length > 0) sentences.push(tokens);
    }
  }
  const files = markdownFiles(path.join(CORPUS_DIR, 'markdown'));
  for (const file of files) {
    const text = pageText(fs.readFileSync(file, 'utf8'));
    for (const heading of text.headings) {
      const tokens = analyze(heading);
      if (tokens.length === 0) continue;
      titles.push(tokens);
      rawHeadings.push(heading);
    }
    for (const sentence of text.sentences) {
      sentences.push(analyze(sentence));
      rawSentences.push(sentence);
    }
  }
  return { sentences, titles, rawHeadings, rawSentences, sources: { scifactAbstracts: dataset.corpus.length, markdownFiles: files.length } };
}

/** Synthetic chunks in batches (so a million never sit in memory at once), rowids 1..count. */
export function* syntheticBatches(pool: SentencePool, count: number, batchSize: number, seed: number): Generator<LexicalDoc[]> {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  let batch: LexicalDoc[] = [];
  let rowid = 0;
  for (let docRowid = 1; rowid < count; docRowid++) {
    const title = pick(pool.titles);
    const chunksInDoc = 1 + Math.floor(random() ** 2 * 20);
    for (let c = 0; c < chunksInDoc && rowid < count; c++) {
      const headings = random() < 0.7 ? pick(pool.titles) : [];
      const target = 100 + Math.floor(random() * 200);
      const body: string[] = [];
      for (let s = Math.floor(random() * pool.sentences.length); body.length < target; s = (s + 1) % pool.sentences.length) {
        body.push(...(random() < 0.15 ? pick(pool.sentences) : pool.sentences[s]!));
      }
      batch.push({ rowid: ++rowid, docRowid, fields: [title, headings, body] });
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Queries over the synthetic sets, as people ask them of documentation: half Markdown headings of
 * two words or more, half Markdown prose sentences (both as written, parsed by parseQuery).
 */
export function sampledQueries(pool: SentencePool, count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const headings = sample(pool.rawHeadings.filter((h) => h.split(' ').length >= 2), Math.ceil(count / 2), random);
  const sentences = sample(pool.rawSentences, count - headings.length, random);
  return headings.flatMap((h, i) => (sentences[i] === undefined ? [h] : [h, sentences[i]]));
}
