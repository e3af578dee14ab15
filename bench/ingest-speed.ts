import fs from 'node:fs';
import path from 'node:path';
import { createEmbedder, parseEmbedderSpec } from '../src/embed/factory.js';
import { convertFile } from '../src/ingest/convert/index.js';
import { IsolatedConverter } from '../src/ingest/convert/isolated-convert.js';
import { embeddingText } from '../src/ingest/indexer.js';
import type { IngestProgress } from '../src/ingest/progress.js';
import type { Source } from '../src/ingest/sources/source.js';
import type { Library } from '../src/service/library.js';
import { ensureLibrary } from './lib/fixtures/libraries.js';
import { runIngestMarkdown, type IngestMarkdownResults } from './ingest-markdown.js';
import { log } from './lib/run/log.js';
import { openLibrary } from './lib/fixtures/open-library.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { corpus, displayPath, WORK_DIR } from './lib/run/paths.js';
import { measure, type ResultFile } from './lib/report/results.js';
import { median } from './lib/parts/stats.js';

/**
 * Ingestion speed on the vendor PDFs: conversion alone (pages/s), a real `Library.add` into an
 * empty library with its phases timed through the progress callbacks, and the raw throughput of
 * the same model on the same chunk texts in the same process (before and after the add, to
 * bracket load drift on a shared machine). With `--embedder none` it measures bulk Markdown
 * ingestion instead (ingest-markdown.ts).
 */
export interface IngestResults {
  files: number;
  pages: number;
  conversion: { inProcessSeconds: number[]; inProcessPagesPerSecond: number; isolatedSeconds: number; isolatedPagesPerSecond: number };
  add: {
    modelLoadSeconds: number;
    totalSeconds: number;
    phases: { convertAndChunkSeconds: number; embedSeconds: number; storeSeconds: number };
    chunks: number;
    embedded: number;
    pagesPerSecond: number;
    /** Embedded chunks per second of the embedding phase alone. */
    embedPhaseChunksPerSecond: number;
    /** Embedded chunks per second of everything but conversion (chunking, embedding, storing). */
    ingestChunksPerSecond: number;
  };
  raw: { texts: number; batchSize: number; secondsBefore: number; secondsAfter: number; chunksPerSecond: number };
  /** Ingestion embedding rate over raw model rate. */
  ratio: { embedPhase: number; ingest: number };
}

const CONVERSION_REPEATS = 3;

async function convertAll(sources: Source[]): Promise<{ seconds: number; pages: number }> {
  const started = performance.now();
  let pages = 0;
  for (const source of sources) {
    const converted = await convertFile({ bytes: source.read(), fileName: source.name });
    pages += converted.pages.length;
  }
  return { seconds: (performance.now() - started) / 1000, pages };
}

async function convertIsolated(sources: Source[]): Promise<number> {
  const converter = new IsolatedConverter();
  const started = performance.now();
  try {
    for (const source of sources) await converter.convert({ bytes: source.read(), fileName: source.name });
  } finally {
    await converter.stop();
  }
  return (performance.now() - started) / 1000;
}

/**
 * Phase times from the callbacks `addSources` already makes. Files overlap (one is prepared while
 * those before it are written in a batch), so only preparing is timed per file, by name: converting
 * and chunking (start to first embedding callback) and embedding (first to last); storing is the
 * rest of the add's wall time.
 */
function phaseTimer() {
  const phases = { convertAndChunkSeconds: 0, embedSeconds: 0, storeSeconds: 0 };
  const started = new Map<string, number>();
  const embedStart = new Map<string, number>();
  let firstStart = 0;
  let lastFinish = 0;
  const progress: IngestProgress = {
    start() { firstStart = performance.now(); },
    fileStarted(file) { started.set(file, performance.now()); },
    embedding(file, done, total) {
      const now = performance.now();
      if (!embedStart.has(file)) {
        embedStart.set(file, now);
        phases.convertAndChunkSeconds += (now - (started.get(file) ?? now)) / 1000;
      }
      if (done === total) phases.embedSeconds += (now - embedStart.get(file)!) / 1000;
    },
    fileFinished(outcome) {
      lastFinish = performance.now();
      // A file with nothing to embed reported no embedding: all its preparing was converting.
      if (!embedStart.has(outcome.file) && started.has(outcome.file)) phases.convertAndChunkSeconds += (lastFinish - started.get(outcome.file)!) / 1000;
    },
    finish() {
      phases.storeSeconds = Math.max(0, (lastFinish - firstStart) / 1000 - phases.convertAndChunkSeconds - phases.embedSeconds);
    },
  };
  return { progress, phases, started: () => firstStart };
}

/** The distinct texts the add embedded: vectors are shared by identical embedding text. */
function embeddedTexts(library: Library): string[] {
  const texts = new Set<string>();
  for (const doc of library.documents()) {
    for (const chunk of library.chunksOf(doc.docId)) texts.add(embeddingText(doc.title, chunk.headingPath, chunk.text));
  }
  return [...texts];
}

async function rawSeconds(spec: string, texts: string[]): Promise<{ seconds: number; batchSize: number }> {
  const embedder = createEmbedder(parseEmbedderSpec(spec));
  if (!embedder) throw new Error('the ingest benchmark needs an embedder; --embedder none has no model to measure');
  await embedder.init();
  await embedder.embedDocuments(texts.slice(0, embedder.batchSize));
  const started = performance.now();
  try {
    for (let i = 0; i < texts.length; i += embedder.batchSize) await embedder.embedDocuments(texts.slice(i, i + embedder.batchSize));
    return { seconds: (performance.now() - started) / 1000, batchSize: embedder.batchSize };
  } finally {
    await embedder.close();
  }
}

export async function runIngestSpeed(options: BenchOptions): Promise<ResultFile<IngestResults> | ResultFile<IngestMarkdownResults>> {
  // Lexical only there is no model to measure against: the question is then bulk speed on many small files.
  if (options.embedder === 'none') return runIngestMarkdown(options);
  const conditions = {
    corpus: displayPath(corpus.pdf), embedder: options.embedder,
    conversion: `convertFile in process (median of ${CONVERSION_REPEATS} passes) and through the IsolatedConverter worker that add uses`,
    add: 'Library.add of every PDF into an empty data dir; phases timed with the IngestProgress callbacks',
    raw: 'embedder.embedDocuments, one batch at a time, on the distinct embedding texts of the same chunks, before and after the add',
  };
  return measure('ingest', commandFor('ingest', options, ['embedder']), conditions, async () => {
    // The cached PDF library has the same chunks, so the raw run can go before the add as well as after it.
    const reference = await openLibrary((await ensureLibrary('pdf', options.embedder)).data, options.embedder);
    const texts = embeddedTexts(reference);
    await reference.close();

    const data = path.join(WORK_DIR, 'ingest-run');
    fs.rmSync(data, { recursive: true, force: true });
    const library = await openLibrary(data, options.embedder, 'write');
    try {
      const sources = library.plan([corpus.pdf]);
      log(`ingest: converting ${sources.length} PDFs, ${CONVERSION_REPEATS} passes in process and one isolated`);
      const runs: { seconds: number; pages: number }[] = [];
      for (let i = 0; i < CONVERSION_REPEATS; i++) runs.push(await convertAll(sources));
      const pages = runs[0]!.pages;
      const inProcess = median(runs.map((r) => r.seconds));
      const isolated = await convertIsolated(sources);

      log(`ingest: raw model throughput on ${texts.length} texts (before)`);
      const before = await rawSeconds(options.embedder, texts);
      log('ingest: adding the PDFs to an empty library');
      const timer = phaseTimer();
      const addStarted = performance.now();
      const results = await library.add(sources, timer.progress);
      const totalSeconds = (performance.now() - addStarted) / 1000;
      log(`ingest: raw model throughput on ${texts.length} texts (after)`);
      const after = await rawSeconds(options.embedder, texts);

      const modelLoadSeconds = (timer.started() - addStarted) / 1000;
      const chunks = results.reduce((s, r) => s + (r.chunks ?? 0), 0);
      const embedded = results.reduce((s, r) => s + (r.embedded ?? 0), 0);
      const rawRate = (2 * texts.length) / (before.seconds + after.seconds);
      const embedPhaseRate = embedded / timer.phases.embedSeconds;
      const ingestRate = embedded / (totalSeconds - modelLoadSeconds - isolated);
      return {
        files: sources.length,
        pages,
        conversion: {
          inProcessSeconds: runs.map((r) => round(r.seconds)), inProcessPagesPerSecond: round(pages / inProcess),
          isolatedSeconds: round(isolated), isolatedPagesPerSecond: round(pages / isolated),
        },
        add: {
          modelLoadSeconds: round(modelLoadSeconds), totalSeconds: round(totalSeconds),
          phases: {
            convertAndChunkSeconds: round(timer.phases.convertAndChunkSeconds), embedSeconds: round(timer.phases.embedSeconds), storeSeconds: round(timer.phases.storeSeconds),
          },
          chunks, embedded, pagesPerSecond: round(pages / (totalSeconds - modelLoadSeconds)),
          embedPhaseChunksPerSecond: round(embedPhaseRate), ingestChunksPerSecond: round(ingestRate),
        },
        raw: { texts: texts.length, batchSize: before.batchSize, secondsBefore: round(before.seconds), secondsAfter: round(after.seconds), chunksPerSecond: round(rawRate) },
        ratio: { embedPhase: round(embedPhaseRate / rawRate), ingest: round(ingestRate / rawRate) },
      };
    } finally {
      await library.close();
    }
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
