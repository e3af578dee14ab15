import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { MIGRATIONS } from './migrations.js';
import { LibraryError } from '../../library/errors.js';
import { WAL_HINT } from '../../library/wal-hint.js';
import { WRITE_LOCK_WAIT_MS } from '../../library/write-lock.js';

export type Connection = Database.Database;

/** Why an index could not be opened: `damaged` is what `mcdewey reindex` repairs by starting over. */
export type StoreOpenReason = 'damaged' | 'read-only' | 'other';

const CODE_OF_REASON = { damaged: 'damaged', 'read-only': 'read_only', other: 'unavailable' } as const;

export class StoreOpenError extends LibraryError {
  constructor(readonly file: string, readonly problem: string, hint: string, readonly reason: StoreOpenReason = 'other') {
    super(CODE_OF_REASON[reason], `cannot open the index ${file}: ${problem}`, hint);
    this.name = 'StoreOpenError';
  }
}

export interface OpenOptions {
  readonly?: boolean;
  /**
   * When the data directory cannot be written (a read-only mount, a full disk), open a read-only
   * copy of the index in memory instead of failing: searching needs no writes, but SQLite's WAL
   * mode cannot open a file in place without creating and sizing its -shm file beside it.
   */
  snapshotIfUnwritable?: boolean;
}

/** Opens (creating if needed) the index database with WAL, foreign keys and sqlite-vec loaded. */
export function openConnection(file: string, options: OpenOptions = {}): Connection {
  if (!options.readonly) {
    const problem = unwritable(path.dirname(file));
    if (problem) {
      if (options.snapshotIfUnwritable && fs.existsSync(file)) return openSnapshot(file);
      throw new StoreOpenError(
        file,
        `the data directory ${path.dirname(file)} cannot be written (${problem})`,
        'Adding, removing and re-indexing need write access: make it writable or use another --data directory. Searching works on a read-only library.',
        'read-only',
      );
    }
  }
  try {
    return openInPlace(file, options);
  } catch (error) {
    if (!diskFull(path.dirname(file))) throw error;
    if (options.snapshotIfUnwritable && fs.existsSync(file)) return openSnapshot(file);
    throw new StoreOpenError(
      file,
      `the disk holding the data directory is full (${error instanceof StoreOpenError ? error.problem : (error as Error).message})`,
      'Free some space and run the command again.',
      'read-only',
    );
  }
}

function openInPlace(file: string, options: OpenOptions): Connection {
  let db: Connection;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new StoreOpenError(file, (error as Error).message, 'Check the path and its permissions (--data / MCDEWEY_DATA).');
  }
  try {
    sqliteVec.load(db);
    if (!options.readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${WRITE_LOCK_WAIT_MS}`);
    if (!options.readonly) migrate(db);
  } catch (error) {
    db.close();
    throw openFailure(file, error);
  }
  return db;
}

/** Less than 1 MiB free: too little for SQLite to open a WAL database, let alone write to it. */
function diskFull(folder: string): boolean {
  try {
    const { bavail, bsize } = fs.statfsSync(folder);
    return bavail * bsize < 1_048_576;
  } catch {
    return false;
  }
}

function openFailure(file: string, error: unknown): StoreOpenError {
  const message = (error as Error).message;
  if (/malformed|not a database|corrupt/i.test(message)) {
    return new StoreOpenError(file, `the database is damaged (${message})`, 'Run `mcdewey reindex` to rebuild it from the Markdown files.', 'damaged');
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_IOERR')) return new StoreOpenError(file, `${message} (${code})`, `${WAL_HINT}.`);
  return new StoreOpenError(file, message, 'Run `mcdewey reindex` to rebuild it from the Markdown files if the problem persists.');
}

/** Why a folder cannot be written (EROFS, EACCES), or undefined when it can (or does not exist yet). */
function unwritable(folder: string): string | undefined {
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.accessSync(folder, fs.constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : undefined;
  }
}

/** A read-only in-memory copy of the index, for a data directory that cannot be written. */
function openSnapshot(file: string): Connection {
  const wal = `${file}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    throw new StoreOpenError(
      file,
      `the data directory is read-only and ${path.basename(wal)} holds changes not yet merged into the index`,
      'Run any mcdewey command once where the directory is writable (that merges them), then make it read-only again.',
      'read-only',
    );
  }
  const bytes = fs.readFileSync(file);
  // Header bytes 18-19 mark a WAL database, which SQLite cannot open from memory; the copy has no WAL.
  if (bytes.length >= 100) bytes[18] = bytes[19] = 1;
  let db: Connection;
  try {
    db = new Database(bytes, { readonly: true });
  } catch (error) {
    throw openFailure(file, error);
  }
  try {
    sqliteVec.load(db);
    db.pragma('foreign_keys = ON');
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version !== latestVersion()) {
      throw new StoreOpenError(
        file,
        `the data directory is read-only and the index has schema ${version}, not ${latestVersion()}`,
        'Open the library once where it is writable so the index is upgraded (or rebuilt with `mcdewey reindex`).',
        'read-only',
      );
    }
  } catch (error) {
    db.close();
    throw error instanceof StoreOpenError ? error : openFailure(file, error);
  }
  return db;
}

function latestVersion(): number {
  return MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
}

function migrate(db: Connection): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = latestVersion();
  if (current > latest) {
    throw new Error(`the index was written by a newer McDewey (schema ${current}, this one knows ${latest}); upgrade McDewey`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
