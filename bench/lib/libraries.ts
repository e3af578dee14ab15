import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LabelFlags } from '../../src/ingest/sources/discover.js';
import type { AddResult } from '../../src/ingest/pipeline.js';
import type { IngestProgress } from '../../src/ingest/progress.js';
import { dataDirAt } from '../../src/library/data-dir.js';
import { corpus, displayPath, REPO_ROOT, WORK_DIR } from './paths.js';
import { log } from './log.js';
import { openLibrary } from './open-library.js';
import { sciFactTextFolder } from './scifact-text.js';

/**
 * The benchmark libraries, built with the same `Library.add` that `mcdewey add` calls and cached
 * under bench/work/libraries/<name>. A library may start as a copy of a smaller one: vectors are
 * reused by embed hash only within one index, so copying is what keeps the 100k build to one
 * embedding pass over the unique text.
 */
export type LibraryName = 'pdf' | '10k' | '100k';

interface AddStep {
  /** Folder to add; a function when the folder is generated (SciFact as text files). */
  input: string | (() => Promise<string>);
  flags?: LabelFlags;
}

interface LibrarySpec {
  base?: LibraryName;
  steps: AddStep[];
}

const versions = (input: string, flags: Omit<LabelFlags, 'version'>, labels: string[]): AddStep[] =>
  labels.map((version) => ({ input, flags: { ...flags, version } }));

/** What each library holds; the README of the report lists the same. */
export const LIBRARY_SPECS: Record<LibraryName, LibrarySpec> = {
  pdf: { steps: [{ input: corpus.pdf }] },
  '10k': {
    base: 'pdf',
    steps: [
      { input: corpus.netbox, flags: { vendor: 'NetBox Labs', product: 'netbox', version: '1' } },
      { input: corpus.frr, flags: { vendor: 'FRRouting', product: 'frr', version: '8.4.4' } },
      { input: corpus.juniper, flags: { vendor: 'Juniper', product: 'techpost', version: '2026-08' } },
      { input: sciFactTextFolder, flags: { vendor: 'AllenAI', product: 'scifact', version: '1' } },
    ],
  },
  '100k': {
    base: '10k',
    steps: [
      ...versions(corpus.iis, { vendor: 'Microsoft', product: 'iis' }, ['1', '2', '3', '4']),
      ...versions(corpus.netbox, { vendor: 'NetBox Labs', product: 'netbox' }, ['2', '3', '4']),
    ],
  },
};

export const LIBRARY_DESCRIPTIONS: Record<LibraryName, string> = {
  pdf: 'the 29 vendor PDFs of ../shared/corpus/pdf (as `mcdewey add ../shared/corpus/pdf`)',
  '10k': 'the PDFs + NetBox docs (version 1) + FRR 8.4.4 HTML manual + Juniper TechPost articles + the 5,183 SciFact abstracts as .txt files',
  '100k': 'the 10k library + IIS docs as versions 1-4 + NetBox docs as versions 2-4 (repeated versions reuse their vectors)',
};

export interface StepRecord {
  input: string;
  flags: LabelFlags;
  seconds: number;
  files: number;
  chunks: number;
  embedded: number;
  failed: number;
}

export interface BuiltLibrary {
  name: LibraryName;
  data: string;
  embedder: string;
  documents: number;
  chunks: number;
  steps: StepRecord[];
  /** Digest of the ingestion code the library was built with (see ingestCodeDigest). */
  ingestCode?: string;
}

/**
 * A digest of the source files that decide what a library holds (conversion, chunking, slugs,
 * store). A cached library built by other code is still used, since rebuilding costs half an
 * hour of embedding, but the run says so.
 */
export function ingestCodeDigest(): string {
  const hash = createHash('sha256');
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  for (const part of ['ingest', 'library', 'store']) walk(path.join(REPO_ROOT, 'src', part));
  return hash.digest('hex').slice(0, 16);
}

export function libraryDir(name: LibraryName, embedder: string): string {
  return path.join(WORK_DIR, 'libraries', `${name}-${embedder.replace(/[^a-z0-9.-]+/gi, '_')}`);
}

const manifestFile = (data: string) => path.join(data, 'bench-manifest.json');
const stepKey = (shownInput: string, flags: LabelFlags = {}) => JSON.stringify([shownInput, flags]);

export function readManifest(data: string): BuiltLibrary | undefined {
  const file = manifestFile(data);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as BuiltLibrary) : undefined;
}

const warnedStale = new Set<LibraryName>();

/** Builds (or finishes building) a library and returns what it holds. Cheap when already complete. */
export async function ensureLibrary(name: LibraryName, embedder: string): Promise<BuiltLibrary> {
  const spec = LIBRARY_SPECS[name];
  const data = libraryDir(name, embedder);
  let manifest = readManifest(data);
  if (!manifest && spec.base) {
    const base = await ensureLibrary(spec.base, embedder);
    log(`library ${name}: starting from a copy of ${spec.base}`);
    const staging = `${data}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.cpSync(base.data, staging, { recursive: true });
    fs.renameSync(staging, data);
    manifest = { ...base, name, data };
    writeManifest(manifest);
  }
  manifest ??= { name, data, embedder, documents: 0, chunks: 0, steps: [], ingestCode: ingestCodeDigest() };
  if (manifest.ingestCode !== ingestCodeDigest() && !warnedStale.has(name)) {
    warnedStale.add(name);
    log(`library ${name}: built with other ingestion code than src/ has now (${manifest.ingestCode ?? 'unrecorded'}); using it as it is. Delete ${displayPath(data)} to rebuild.`);
  }
  const done = new Set(manifest.steps.map((s) => stepKey(s.input, s.flags)));
  const pending: { input: string; flags: LabelFlags }[] = [];
  for (const step of spec.steps) {
    const input = typeof step.input === 'string' ? step.input : await step.input();
    if (!done.has(stepKey(displayPath(input), step.flags ?? {}))) pending.push({ input, flags: step.flags ?? {} });
  }
  if (pending.length === 0) return manifest;

  fs.mkdirSync(data, { recursive: true });
  const library = await openLibrary(data, embedder, 'write');
  try {
    for (const { input, flags } of pending) {
      const label = `${displayPath(input)}${flags.version ? ` version ${flags.version}` : ''}`;
      log(`library ${name}: adding ${label}`);
      const started = performance.now();
      const results = await library.add(library.plan([input], flags), loggingProgress(`library ${name}`));
      const record = stepRecord(input, flags, (performance.now() - started) / 1000, results);
      log(`library ${name}: ${label}: ${record.files} files, ${record.chunks} chunks, ${record.embedded} embedded, ${record.failed} failed, ${record.seconds.toFixed(0)} s`);
      manifest.steps.push(record);
      Object.assign(manifest, library.counts());
      writeManifest(manifest);
    }
  } finally {
    await library.close();
  }
  return manifest;
}

function stepRecord(input: string, flags: LabelFlags, seconds: number, results: AddResult[]): StepRecord {
  const sum = (f: (r: AddResult) => number | undefined) => results.reduce((s, r) => s + (f(r) ?? 0), 0);
  return {
    input: displayPath(input), flags, seconds,
    files: results.length, chunks: sum((r) => r.chunks), embedded: sum((r) => r.embedded), failed: results.filter((r) => r.status === 'failed').length,
  };
}

function writeManifest(manifest: BuiltLibrary): void {
  const { documents, chunks } = manifest;
  fs.writeFileSync(manifestFile(manifest.data), `${JSON.stringify({ ...manifest, documents, chunks }, null, 2)}\n`);
}

/** One log line per 200 files and per large embedding batch: enough to follow a half-hour build. */
export function loggingProgress(prefix: string): IngestProgress {
  let total = 0;
  let lastEmbedLog = 0;
  return {
    start(files) { total = files; },
    fileStarted(file, index) { if (index % 200 === 0) log(`${prefix}: file ${index + 1}/${total} ${path.basename(file)}`); },
    embedding(file, done, all) {
      if (all >= 200 && (done === all || performance.now() - lastEmbedLog > 30_000)) {
        lastEmbedLog = performance.now();
        log(`${prefix}: embedding ${path.basename(file)} ${done}/${all}`);
      }
    },
    fileFinished(result) { if (result.status === 'failed') log(`${prefix}: FAILED ${result.file}: ${result.error}`); },
    finish() {},
  };
}

/** Bytes of the index and of the Markdown library, for on-disk size per chunk. */
export function diskUsage(data: string): { indexBytes: number; markdownBytes: number } {
  const dir = dataDirAt(data);
  const size = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);
  const walk = (folder: string): number =>
    fs.existsSync(folder)
      ? fs.readdirSync(folder, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? walk(path.join(folder, e.name)) : size(path.join(folder, e.name))), 0)
      : 0;
  return {
    indexBytes: size(dir.indexFile) + size(`${dir.indexFile}-wal`),
    markdownBytes: walk(dir.libraryDir),
  };
}
