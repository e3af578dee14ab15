/**
 * Connections to the PostgreSQL store of record: one pool per process, every connection in the
 * `mcdewey` schema, 64-bit integers read as numbers (rowids and change positions stay far below
 * 2^53), and failures turned into errors that say which server and what to do.
 */
import pg from 'pg';
import { LibraryError } from '../../library/errors.js';
import { redactUrl } from './redact-url.js';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

/** The schema that holds every McDewey table, so a shared database keeps its own names. */
export const SCHEMA = 'mcdewey';

const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8 && format !== 'binary' ? (value: string) => toSafeNumber(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function toSafeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`a 64-bit value ${value} is beyond what McDewey reads as a number`);
  return n;
}

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(value: string | undefined): value is string {
  return value !== undefined && /^postgres(ql)?:\/\//i.test(value);
}

export interface PoolOptions {
  /** Connections this process may hold (the pool's size). */
  max?: number;
  /** Who connects, shown in pg_stat_activity. */
  applicationName?: string;
}

/** A pool that never crashes the process when an idle connection drops (a restarted server). */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'mcdewey',
    options: `-c search_path=${SCHEMA}`,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    types,
  });
  pool.on('error', (error) => {
    // An idle connection died (the server restarted); the pool replaces it on the next query.
    console.error(`mcdewey: an idle PostgreSQL connection failed (${error.message}); it will be replaced`);
  });
  return pool;
}

/** A single connection outside the pool (LISTEN needs its own), with the same settings. */
export function createClient(url: string, applicationName = 'mcdewey-listener'): pg.Client {
  return new pg.Client({ connectionString: url, application_name: applicationName, options: `-c search_path=${SCHEMA}`, types, connectionTimeoutMillis: 10_000 });
}

/** Runs `work` in one transaction on one connection, rolling back on any error. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true; // the connection itself failed: do not give it back to the pool
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Connection-level failures (refused, reset, server shutting down) as `unavailable`; others unchanged. */
export function unavailableError(url: string, error: unknown): unknown {
  if (error instanceof LibraryError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const connection = typeof code === 'string' && (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|EAI_AGAIN)$/.test(code) || /^(08|57P)/.test(code));
  if (connection || /Connection terminated|timeout exceeded when trying to connect/i.test(message)) {
    return new LibraryError(
      'unavailable',
      `the PostgreSQL store ${redactUrl(url)} cannot be reached (${message})`,
      'Check that the server is running and the URL (--store / MCDEWEY_STORE) is right; McDewey retries by itself',
      { cause: error },
    );
  }
  return error;
}
