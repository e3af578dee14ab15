/**
 * One stateless serve node over a shared PostgreSQL library. PostgreSQL is the store of record;
 * the node keeps a local replica of it (the embedded index schema, in the node's cache directory)
 * that the replicator keeps current from the change log, woken by LISTEN/NOTIFY and by polling.
 * Everything that reads (the catalog, search, the reading views) reads the replica, synchronously,
 * exactly as in an embedded library; writes go to PostgreSQL and return once the replica shows
 * them, so a client reads its own writes on the node it wrote through.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataDir } from '../../library/data-dir.js';
import { LibraryError } from '../../library/errors.js';
import type { EmbedderIdentity } from '../../library/model.js';
import { forgetOriginal, keepOriginal, originalPath } from '../../library/originals.js';
import type { DocumentRecord } from '../../store/record-store.js';
import type { CrawlStateStore } from '../../store/crawl-state.js';
import { ChangeListener } from '../../store/postgres/pg-change-listener.js';
import { redactUrl } from '../../store/postgres/redact-url.js';
import { PgRecordStore } from '../../store/postgres/pg-record-store.js';
import { PgSnapshots, type SnapshotFile, type SnapshotInfo, type SnapshotInput } from '../../store/postgres/pg-snapshots.js';
import { PgJobs } from '../../store/postgres/pg-jobs.js';
import { REPLICA_POSITION_KEY, Replicator, type AppliedChanges } from '../../store/replica/replicator.js';
import { INDEX_SCHEMA_VERSION } from '../../store/sqlite/migrations.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { LEXICAL_FORMAT } from '../../search/lexical/lexical-file.js';
import { VECTOR_FORMAT } from '../../search/vector/vector-file.js';

/**
 * The saved search index files a snapshot carries, with the format this program reads: a new node
 * loads them instead of rebuilding its indexes from every chunk (at 100k chunks, seconds instead
 * of tens of seconds). A file of another format is left out and rebuilt.
 */
type IndexFileName = keyof DataDir['searchIndexFiles'];
const INDEX_FILES: readonly { name: IndexFileName; format: number }[] = [
  { name: 'lexical', format: LEXICAL_FORMAT },
  { name: 'vectors', format: VECTOR_FORMAT },
];

/**
 * A node fetches the originals of the documents it already holds at start this long after opening:
 * a whole library's (75 MB at 15,000 documents) fetched while it restores its replica and loads its
 * search indexes would only delay its readiness. Originals of later additions are fetched at once.
 */
const ORIGINALS_AFTER_MS = 5_000;

/** A node writes a new snapshot once its replica is this many changes past the latest one. */
export const SNAPSHOT_EVERY = 1_000;

export interface NodeOptions {
  poolSize?: number;
  /** Milliseconds between fallback polls of the change log. */
  pollMs?: number;
  /** Changes between snapshots (SNAPSHOT_EVERY); 0 never writes one. */
  snapshotEvery?: number;
}

/** Where a node stands against the store of record, for /api/health and /api/ready. */
export interface NodeStatus {
  engine: 'postgres';
  store: string;
  /** The change-log position this node's replica reflects. */
  position: number;
  /** The store's position, or null when PostgreSQL cannot be reached right now. */
  storePosition: number | null;
  caughtUp: boolean;
  /** Whether LISTEN/NOTIFY is up (false: changes arrive by polling only). */
  listening: boolean;
  /** How the node started: from a snapshot, by rebuilding, or from its own replica. */
  startedFrom: 'snapshot' | 'rebuild' | 'replica';
  error?: string;
}

export class ScaleOutNode {
  private listener: ChangeListener | undefined;
  private lastError: string | undefined;
  private snapshotPosition = 0;
  private snapshotting = false;
  private originals: Promise<void> = Promise.resolve();
  /** Cuts the wait before the first fetch of originals short when the node closes. */
  private readonly closing = new AbortController();
  private closed = false;
  /** Ingestion jobs shared by every node. */
  readonly jobs: PgJobs;
  /** Folders and sites added whole, with a site's last crawl, shared by every node (for refresh). */
  readonly sources: CrawlStateStore;

  private constructor(
    readonly record: PgRecordStore,
    readonly replica: SqliteStore,
    private readonly replicator: Replicator,
    private readonly snapshots: PgSnapshots,
    private readonly dir: DataDir,
    private readonly options: NodeOptions,
    readonly startedFrom: NodeStatus['startedFrom'],
  ) {
    this.jobs = new PgJobs(record.pool);
    this.sources = record.crawlState;
  }

  /**
   * Connects, restores the latest snapshot when the local replica is missing or too far behind,
   * catches up from the change log and starts following it. Resolves once the node is caught up.
   */
  static async open(url: string, dir: DataDir, options: NodeOptions = {}): Promise<ScaleOutNode> {
    const record = await PgRecordStore.open(url, { max: options.poolSize ?? 10, applicationName: `mcdewey ${process.pid}` });
    try {
      const snapshots = new PgSnapshots(record.pool);
      const restored = await restoreSnapshotIfNeeded(record, snapshots, dir);
      const replica = new SqliteStore(dir.indexFile);
      const startedFrom = restored ? 'snapshot' : replica.readMeta(REPLICA_POSITION_KEY) === undefined ? 'rebuild' : 'replica';
      let node: ScaleOutNode | undefined;
      const replicator = new Replicator(record, replica, (applied) => node?.syncOriginals(applied));
      node = new ScaleOutNode(record, replica, replicator, snapshots, dir, options, startedFrom);
      await replicator.catchUp();
      node.syncOriginals(() => ({ added: replica.documents(), removed: [] }), ORIGINALS_AFTER_MS);
      node.snapshotPosition = (await snapshots.latest(INDEX_SCHEMA_VERSION))?.position ?? 0;
      node.listener = new ChangeListener(url, () => node!.follow(), {
        ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
        onError: (error) => node!.noteError(error),
      });
      node.listener.start();
      return node;
    } catch (error) {
      await record.close();
      throw error;
    }
  }

  /** Applies what was committed since the last look; failures are kept for the health endpoint and retried on the next wake-up. */
  private follow(): void {
    if (this.closed) return;
    this.replicator.catchUp().then(
      (position) => {
        this.lastError = undefined;
        this.maybeSnapshot(position);
      },
      (error: unknown) => this.noteError(error as Error),
    );
  }

  private noteError(error: Error): void {
    if (this.closed) return;
    const message = error.message;
    if (message !== this.lastError) console.error(`mcdewey node: ${message}`);
    this.lastError = message;
  }

  async status(): Promise<NodeStatus> {
    let storePosition: number | null = null;
    try {
      storePosition = await this.record.changePosition();
    } catch (error) {
      this.noteError(error as Error);
    }
    const position = this.replicator.position();
    return {
      engine: 'postgres',
      store: redactUrl(this.record.url),
      position,
      storePosition,
      caughtUp: storePosition !== null && position >= storePosition,
      listening: this.listener?.listening ?? false,
      startedFrom: this.startedFrom,
      ...(this.lastError ? { error: this.lastError } : {}),
    };
  }

  /** Writes a document to PostgreSQL and waits until this node's replica shows it. */
  async commit(record: DocumentRecord): Promise<void> {
    if (record.original) keepOriginal(this.dir, record.meta.contentHash, record.meta.format, record.original);
    const { position } = await this.record.writeDocument(record);
    await this.replicator.reach(position);
  }

  /**
   * Writes `records` and removes `remove` in one PostgreSQL transaction (see `writeDocuments`), and
   * waits until this node's replica shows it.
   */
  async commitAll(records: readonly DocumentRecord[], remove: readonly string[], moving: readonly string[]): Promise<void> {
    for (const record of records) if (record.original) keepOriginal(this.dir, record.meta.contentHash, record.meta.format, record.original);
    const { position } = await this.record.writeDocuments(records, remove, moving);
    await this.replicator.reach(position);
  }

  async remove(docId: string): Promise<boolean> {
    const { removed, position } = await this.record.removeDocument(docId);
    await this.replicator.reach(position);
    return removed;
  }

  async setEmbedderIdentity(identity: EmbedderIdentity | null): Promise<void> {
    await this.record.setEmbedderIdentity(identity);
    await this.replicator.reach(await this.record.changePosition());
  }

  /** Catches up now (tests and `check` want the latest state, not the next poll's). */
  async catchUp(): Promise<number> {
    return this.replicator.catchUp();
  }

  /**
   * Fetches the originals of documents this node has not seen yet (for "Open original" and page
   * images) and drops those no document refers to any more, after the rows are applied so that
   * searching never waits for them. `changes` may be read only when it is its turn (`afterMs` later).
   */
  private syncOriginals(changes: AppliedChanges | (() => AppliedChanges), afterMs = 0): void {
    this.originals = this.originals.then(async () => {
      if (afterMs > 0) await sleep(afterMs, undefined, { signal: this.closing.signal }).catch(() => {});
      if (this.closed) return;
      const applied = typeof changes === 'function' ? changes() : changes;
      for (const doc of applied.added) {
        // A closing node stops fetching; the next start fetches what is still missing.
        if (this.closed) break;
        const file = originalPath(this.dir, doc.contentHash, doc.format);
        if (!file || fs.existsSync(file)) continue;
        const bytes = await this.record.original(doc.contentHash, doc.format);
        if (bytes) keepOriginal(this.dir, doc.contentHash, doc.format, bytes);
      }
      for (const doc of applied.removed) {
        if (!this.replica.documents().some((d) => d.contentHash === doc.contentHash && d.format === doc.format)) forgetOriginal(this.dir, doc.contentHash, doc.format);
      }
    }).catch((error: unknown) => this.noteError(new Error(`copying originals to this node failed: ${(error as Error).message}`)));
  }

  /** Resolves once originals of everything applied so far are on this node. */
  async originalsSynced(): Promise<void> {
    await this.originals;
  }

  /**
   * Every SNAPSHOT_EVERY changes one node (whichever takes the advisory lock) stores a copy of its
   * replica, so that a new node starts from it instead of rebuilding from every row.
   */
  private maybeSnapshot(position: number): void {
    const every = this.options.snapshotEvery ?? SNAPSHOT_EVERY;
    if (every <= 0 || this.snapshotting || position - this.snapshotPosition < every) return;
    this.snapshotting = true;
    this.writeSnapshot()
      .catch((error: unknown) => this.noteError(new Error(`writing a snapshot failed: ${(error as Error).message}`)))
      .finally(() => (this.snapshotting = false));
  }

  /**
   * Stores a snapshot of this node's replica, with the search index files saved beside it, now,
   * unless another node is storing one. `bytes` counts every file stored.
   */
  async writeSnapshot(): Promise<{ position: number; bytes: number; files: string[] } | undefined> {
    const stem = path.join(this.dir.tmpDir, `snapshot-${randomUUID()}`);
    const file = `${stem}.sqlite`;
    fs.mkdirSync(this.dir.tmpDir, { recursive: true });
    // The index files are copied before the replica: the replica only moves forward, so they
    // reflect a position at or before the copy's, and a node starting from them catches up from
    // the copy's change log. (A file out of step with it is detected there and rebuilt.)
    const extras = copyIndexFiles(this.dir, stem);
    try {
      await this.replica.backupTo(file);
      const copy = new SqliteStore(file, { readonly: true });
      const position = Number(copy.readMeta(REPLICA_POSITION_KEY) ?? 0);
      copy.close();
      const saved = await this.snapshots.save(file, position, INDEX_SCHEMA_VERSION, extras);
      const latest = await this.snapshots.latest(INDEX_SCHEMA_VERSION);
      this.snapshotPosition = latest?.position ?? this.snapshotPosition;
      if (!saved) return undefined;
      const bytes = [file, ...extras.map((e) => e.path)].reduce((sum, f) => sum + fs.statSync(f).size, 0);
      return { position, bytes, files: extras.map((e) => e.name) };
    } finally {
      for (const staged of [file, ...extras.map((e) => e.path)]) fs.rmSync(staged, { force: true });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    await this.listener?.stop();
    await this.originals;
    this.replica.close();
    await this.record.close();
  }
}

/**
 * A node without a replica, or with one behind the change log's horizon, starts from the latest
 * snapshot when there is one (the replica file as another node had it, at a known position).
 * Returns whether it did.
 */
async function restoreSnapshotIfNeeded(record: PgRecordStore, snapshots: PgSnapshots, dir: DataDir): Promise<boolean> {
  let position: number | undefined;
  if (fs.existsSync(dir.indexFile)) {
    const existing = new SqliteStore(dir.indexFile);
    const value = existing.readMeta(REPLICA_POSITION_KEY);
    const documents = existing.counts().documents;
    existing.close();
    if (value === undefined && documents > 0) {
      throw new LibraryError(
        'conflict',
        `${dir.indexFile} is an embedded library's index, not a replica of a PostgreSQL library`,
        'Give each node its own empty cache directory (--data); copy an embedded library into PostgreSQL with `mcdewey migrate --to postgres://…`',
      );
    }
    if (value !== undefined) {
      position = Number(value);
      if (position >= (await record.changeHorizon())) return false;
    }
  }
  const snapshot = await snapshots.latest(INDEX_SCHEMA_VERSION);
  if (!snapshot || (position !== undefined && snapshot.position <= position)) return false;
  fs.mkdirSync(dir.root, { recursive: true });
  const stem = `.snapshot-${randomUUID()}`;
  const staged = `${dir.indexFile}${stem}`;
  const indexFiles = usableIndexFiles(snapshot).map((stored) => ({ stored, target: dir.searchIndexFiles[stored.name], staged: `${dir.searchIndexFiles[stored.name]}${stem}` }));
  try {
    await snapshots.restore(snapshot, staged);
    for (const file of indexFiles) await snapshots.restoreFile(snapshot, file.stored, file.staged);
    // The old replica's index files describe another state: gone before the new replica is in
    // place, so a crash from here on leaves at worst a replica whose indexes are rebuilt.
    for (const file of Object.values(dir.searchIndexFiles)) fs.rmSync(file, { force: true });
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(dir.indexFile + suffix, { force: true });
    fs.renameSync(staged, dir.indexFile);
    for (const file of indexFiles) fs.renameSync(file.staged, file.target);
  } finally {
    for (const file of [staged, ...indexFiles.map((f) => f.staged)]) fs.rmSync(file, { force: true });
  }
  return true;
}

/** The snapshot's index files this program can read (the others are rebuilt from the replica). */
function usableIndexFiles(snapshot: SnapshotInfo): (SnapshotFile & { name: IndexFileName })[] {
  return INDEX_FILES.flatMap(({ name, format }) => {
    const stored = snapshot.files.find((f) => f.name === name);
    return stored && stored.format === format ? [{ ...stored, name }] : [];
  });
}

/** Copies of the node's saved index files (those there are) under `stem`, to store with a snapshot. */
function copyIndexFiles(dir: DataDir, stem: string): SnapshotInput[] {
  const copies: SnapshotInput[] = [];
  try {
    for (const { name, format } of INDEX_FILES) {
      const copy = `${stem}.${name}`;
      try {
        // One read of one file: the index thread replaces it by renaming, never in place.
        fs.copyFileSync(dir.searchIndexFiles[name], copy);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      copies.push({ name, path: copy, format });
    }
  } catch (error) {
    for (const copy of copies) fs.rmSync(copy.path, { force: true });
    throw error;
  }
  return copies;
}
