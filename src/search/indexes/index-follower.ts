import fs from 'node:fs';
import type { IndexedVector, IndexSource } from '../../store/store.js';
import { DEFAULT_BM25, type Bm25Params } from '../lexical/bm25-params.js';
import { LexicalIndex, type LexicalDoc } from '../lexical/lexical-index.js';
import type { MergePolicy } from '../segments/merge-policy.js';
import { IndexFileError } from '../segments/index-file-error.js';
import { SegmentedVectorIndex } from '../vector/vector-index.js';
import { ChunkAnalyzer } from './index-chunks.js';
import { formatPosition, parsePosition } from './index-position.js';
import { shareIndexes, type IndexHandles, type SearchIndexes } from './search-indexes.js';

/** Where the indexes are persisted: derived files next to the store, rebuilt whenever unusable. */
export interface IndexFiles {
  lexical: string;
  vectors: string;
}

export interface FollowerOptions {
  /** Persist the indexes here; without files they live in memory only. */
  files?: IndexFiles;
  /** Keep the indexes in shared memory, for worker threads to search. */
  shared?: boolean;
  params?: Bm25Params;
  mergePolicy?: Partial<MergePolicy>;
  /** What the follower tells the operator: rebuilds and why, files it could not read or write. */
  log?: (message: string) => void;
}

/** What one call to `catchUp` did. */
export interface CatchUp {
  /** Changes applied one by one. */
  applied: number;
  /** Which index was rebuilt from the store instead, if any. */
  rebuilt?: 'all' | 'vectors';
  /** Why, when rebuilt. */
  reason?: string;
}

/** Routine reasons (a new library, one growing from nothing): nothing the operator needs to hear about. */
const NO_FILE = 'there was no usable index file';
const RECENTRED = 'recentred';

/** Beyond this many changes behind, one rebuild costs less than applying them (and is read in one go). */
const MAX_INCREMENTAL = 5_000;
/** Chunks analyzed and added as one segment while rebuilding: bounds the tokens held at once. */
const REBUILD_BATCH = 10_000;
/**
 * Analyzed tokens held at once while rebuilding, whatever the chunks: one document of 60 MB of text
 * (40,000 chunks) held as token strings needs over 256 MB of heap, so such a document is cut.
 */
const REBUILD_TOKENS = 1_000_000;
/** Vectors per segment while rebuilding the vector index. */
const VECTOR_BATCH = 20_000;
/** A vector mean fixed from fewer vectors than this is recomputed once the index holds 4× as many. */
const MIN_MEAN_SAMPLE = 2_000;

/**
 * Keeps the in-memory search indexes equal to the store by following its change log: loads the
 * persisted files (or rebuilds them from the store when absent, unreadable, of another format,
 * built for another database or behind the log's horizon), then applies changes as they come: the
 * documents a change names lose their chunks (tombstones) and get their current ones back as one
 * small new segment. Merges run as separate steps (`mergeStep`), so whoever drives the follower
 * decides when they may take time. Works against `IndexSource` only, so any store with a change
 * log can be followed, by any number of processes or nodes.
 *
 * Applying a change reads the document as it is now, not as it was then; that is why changes and
 * content are read in one snapshot, and why applying the same change twice changes nothing.
 */
export class IndexFollower {
  private lexical: LexicalIndex;
  private vectors: SegmentedVectorIndex | undefined;
  private position = -1;
  /** How many vectors the vector index's mean was computed from. */
  private meanSample = 0;
  private savedPosition = -1;
  /** The source's change stamp when the indexes last caught up: seen again, nothing changed since. */
  private caughtUpAt: string | undefined;
  /** Merges since the last save (they change the files, not the position). */
  private mergedSinceSave = false;
  private readonly params: Bm25Params;

  private constructor(
    private readonly source: IndexSource,
    private readonly options: FollowerOptions,
  ) {
    this.params = options.params ?? DEFAULT_BM25;
    this.lexical = this.emptyLexical();
  }

  /** Loads the persisted indexes if they can be used, then brings them up to date. */
  static open(source: IndexSource, options: FollowerOptions = {}): { follower: IndexFollower; opened: CatchUp } {
    const follower = new IndexFollower(source, options);
    follower.load();
    return { follower, opened: follower.catchUp() };
  }

  /** The change-log position the indexes reflect. */
  get at(): number {
    return this.position;
  }

  snapshot(): SearchIndexes {
    return { position: this.position, lexical: this.lexical, vectors: this.vectors };
  }

  share(): IndexHandles {
    return shareIndexes(this.snapshot());
  }

  /** Applies every change committed since the indexes' position (or rebuilds, see the class comment). */
  catchUp(): CatchUp {
    // Taken before anything is read: a commit after it changes the next stamp, so none is missed.
    const stamp = this.source.changeStamp?.();
    if (stamp !== undefined && stamp === this.caughtUpAt) return { applied: 0 };
    const done = this.readChanges();
    this.caughtUpAt = stamp;
    return done;
  }

  private readChanges(): CatchUp {
    return this.source.readSnapshot(() => {
      const now = this.source.changePosition();
      const horizon = this.source.changeHorizon();
      const dims = this.source.vectorDimensions();
      const behind = this.position < 0 ? NO_FILE
        : now < this.position ? `the change log is at ${now}, before the index's ${this.position} (a database restored from an older copy)`
          : this.position < horizon ? `the index is at ${this.position}, behind the change log's horizon ${horizon}`
            : now - this.position > MAX_INCREMENTAL ? `${now - this.position} changes to apply (more than ${MAX_INCREMENTAL})` : undefined;
      if (behind) {
        this.rebuildAll(dims);
        this.position = now;
        return this.report({ applied: 0, rebuilt: 'all', reason: behind });
      }
      if (now === this.position && (this.vectors?.dims ?? undefined) === dims) return { applied: 0 };
      const changes = this.source.changesSince(this.position, now - this.position);
      const touched = new Set<number>();
      let reset = false;
      for (const change of changes) {
        if (change.op === 'reset') reset = true;
        else touched.add(change.docRowid);
      }
      this.applyLexical(touched);
      const vectorsRebuilt = this.applyVectors(touched, dims, reset);
      this.position = now;
      return this.report({ applied: changes.length, ...(vectorsRebuilt ? { rebuilt: 'vectors' as const, reason: vectorsRebuilt } : {}) });
    });
  }

  /** One merge step of either index, if one is due. Returns false when there is nothing to do. */
  mergeStep(): boolean {
    const merged = this.lexical.mergeStep() || (this.vectors?.mergeStep() ?? false);
    if (merged) this.mergedSinceSave = true;
    return merged;
  }

  /**
   * Writes the indexes to their files when they changed since the last save (each file atomically,
   * both marked with the same position). Returns whether anything was written; a data directory
   * that cannot be written is logged, not fatal: the indexes are derived and rebuilt next time.
   */
  save(): boolean {
    const files = this.options.files;
    if (!files || (this.position === this.savedPosition && !this.mergedSinceSave)) return false;
    const logId = this.source.changeLogId();
    try {
      this.lexical.save(files.lexical, formatPosition({ logId, seq: this.position }));
      if (this.vectors) this.vectors.save(files.vectors, formatPosition({ logId, seq: this.position, meanSample: this.meanSample }));
      else fs.rmSync(files.vectors, { force: true });
    } catch (error) {
      this.options.log?.(`could not save the search index (${(error as Error).message}); it stays in memory and is rebuilt or caught up at the next start`);
      return false;
    }
    this.savedPosition = this.position;
    this.mergedSinceSave = false;
    return true;
  }

  private load(): void {
    const files = this.options.files;
    if (!files) return;
    const logId = this.source.changeLogId();
    const shared = this.options.shared ?? false;
    let lexical: { index: LexicalIndex; seq: number } | undefined;
    try {
      const loaded = LexicalIndex.load(files.lexical, { shared, params: this.params, ...this.mergeOptions() });
      const position = parsePosition(loaded.position);
      if (position?.logId === logId) lexical = { index: loaded.index, seq: position.seq };
      else this.options.log?.(`${files.lexical} was built from another database; rebuilding it`);
    } catch (error) {
      if (!(error instanceof IndexFileError)) throw error;
      // Said as what happens next: the follower rebuilds it, nobody has to.
      if (error.problem !== 'missing') this.options.log?.(`${error.file}: ${error.detail}; rebuilding it from the library`);
    }
    if (!lexical) return;
    const dims = this.source.vectorDimensions();
    let vectors: { index: SegmentedVectorIndex; meanSample: number } | undefined;
    if (dims !== undefined) {
      try {
        const loaded = SegmentedVectorIndex.load(files.vectors, { dims, shared, ...this.mergeOptions() });
        const position = parsePosition(loaded.position);
        // Both files are saved together; a pair from two different moments is not used.
        if (position?.logId === logId && position.seq === lexical.seq) vectors = { index: loaded.index, meanSample: position.meanSample ?? 0 };
      } catch (error) {
        if (!(error instanceof IndexFileError)) throw error;
        if (error.problem !== 'missing') this.options.log?.(`${error.file}: ${error.detail}; rebuilding it from the library`);
      }
      // Without a usable vector file the lexical one is still good: the next catch-up rebuilds vectors only.
    }
    this.lexical = lexical.index;
    this.position = lexical.seq;
    this.savedPosition = vectors || dims === undefined ? lexical.seq : -1;
    if (vectors) {
      this.vectors = vectors.index;
      this.meanSample = vectors.meanSample;
    }
  }

  private applyLexical(touched: ReadonlySet<number>): void {
    if (touched.size === 0) return;
    this.lexical.removeDocuments(touched);
    const analyzer = new ChunkAnalyzer();
    const docs: LexicalDoc[] = [];
    for (const chunk of this.source.indexChunks([...touched])) docs.push(analyzer.lexicalDoc(chunk));
    this.lexical.add(docs);
  }

  /** Returns why the vector index was rebuilt, if it was. */
  private applyVectors(touched: ReadonlySet<number>, dims: number | undefined, reset: boolean): string | undefined {
    if (dims === undefined) {
      this.vectors = undefined;
      return undefined;
    }
    const why = !this.vectors ? 'there was no usable vector index file'
      : this.vectors.dims !== dims ? `the vectors now have ${dims} dimensions, not ${this.vectors.dims}`
        : reset ? 'the embedder changed' : undefined;
    if (why) {
      this.rebuildVectors(dims);
      return why;
    }
    const vectors = this.vectors!;
    if (touched.size > 0) {
      vectors.removeDocuments(touched);
      const rows = [...this.source.indexVectors([...touched])];
      if (vectors.mean === undefined) this.meanSample = rows.length;
      vectors.add(rows);
    }
    if (this.meanSample < MIN_MEAN_SAMPLE && vectors.size >= 4 * Math.max(1, this.meanSample)) {
      this.rebuildVectors(dims);
      // Routine while a library grows from nothing, so not worth telling the operator about.
      return RECENTRED;
    }
    return undefined;
  }

  private rebuildAll(dims: number | undefined): void {
    const lexical = this.emptyLexical();
    const analyzer = new ChunkAnalyzer();
    let batch: LexicalDoc[] = [];
    let tokens = 0;
    for (const chunk of this.source.indexChunks()) {
      // Cut between documents while batches stay small, so that a document's chunks usually share a
      // segment; a document too large for one batch is cut anywhere (removal looks in every segment).
      const full = batch.length >= REBUILD_BATCH && batch[batch.length - 1]!.docRowid !== chunk.docRowid;
      if (full || tokens >= REBUILD_TOKENS) {
        lexical.add(batch);
        batch = [];
        tokens = 0;
      }
      const doc = analyzer.lexicalDoc(chunk);
      tokens += doc.fields[0].length + doc.fields[1].length + doc.fields[2].length;
      batch.push(doc);
    }
    lexical.add(batch);
    while (lexical.mergeStep());
    this.lexical = lexical;
    if (dims === undefined) this.vectors = undefined;
    else this.rebuildVectors(dims);
  }

  /** Two passes over the stored vectors: their mean (the codes' centre), then the vectors in batches. */
  private rebuildVectors(dims: number): void {
    const sum = new Float64Array(dims);
    let count = 0;
    for (const { vector } of this.source.indexVectors()) {
      if (vector.length !== dims) continue;
      for (let j = 0; j < dims; j++) sum[j]! += vector[j]!;
      count++;
    }
    const shared = this.options.shared ?? false;
    const mean = count > 0 ? Float32Array.from(sum, (s) => s / count) : undefined;
    const vectors = SegmentedVectorIndex.create({ dims, shared, ...(mean ? { mean } : {}), ...this.mergeOptions() });
    let batch: IndexedVector[] = [];
    for (const row of this.source.indexVectors()) {
      if (row.vector.length !== dims) continue;
      if (batch.length >= VECTOR_BATCH && batch[batch.length - 1]!.docRowid !== row.docRowid) {
        vectors.add(batch);
        batch = [];
      }
      batch.push(row);
    }
    vectors.add(batch);
    while (vectors.mergeStep());
    this.vectors = vectors;
    this.meanSample = count;
  }

  private emptyLexical(): LexicalIndex {
    return LexicalIndex.create(this.params, { shared: this.options.shared ?? false, ...this.mergeOptions() });
  }

  private mergeOptions(): { mergePolicy?: Partial<MergePolicy> } {
    return this.options.mergePolicy ? { mergePolicy: this.options.mergePolicy } : {};
  }

  private report(result: CatchUp): CatchUp {
    if (result.rebuilt && result.reason !== RECENTRED && result.reason !== NO_FILE) {
      this.options.log?.(`rebuilt the ${result.rebuilt === 'all' ? 'search indexes' : 'vector index'} from the library (${result.reason}): ` +
        `${this.lexical.size} chunks${this.vectors ? `, ${this.vectors.size} vectors` : ''}`);
    }
    return result;
  }
}
