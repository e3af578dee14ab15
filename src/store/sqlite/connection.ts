import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { MIGRATIONS } from './migrations.js';

export type Connection = Database.Database;

export class StoreOpenError extends Error {
  constructor(readonly file: string, problem: string, hint: string) {
    super(`cannot open the index ${file}: ${problem}. ${hint}`);
    this.name = 'StoreOpenError';
  }
}

/** Opens (creating if needed) the index database with WAL, foreign keys and sqlite-vec loaded. */
export function openConnection(file: string, options: { readonly?: boolean } = {}): Connection {
  if (!options.readonly) fs.mkdirSync(path.dirname(file), { recursive: true });
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
    db.pragma('busy_timeout = 5000');
    if (!options.readonly) migrate(db);
  } catch (error) {
    db.close();
    const message = (error as Error).message;
    if (/malformed|not a database|corrupt/i.test(message)) {
      throw new StoreOpenError(file, `the database is damaged (${message})`, 'Run `mcdewey reindex` to rebuild it from the Markdown files.');
    }
    throw new StoreOpenError(file, message, 'Run `mcdewey reindex` to rebuild it from the Markdown files if the problem persists.');
  }
  return db;
}

function migrate(db: Connection): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
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
