/**
 * Snapshots of a node's derived state in PostgreSQL, so that a new node starts from files instead
 * of rebuilding from every row: the replica file and the saved search index files beside it, each
 * in parts, with the change-log position the replica reflects, the replica schema it was written
 * with and each index file's format. One node writes one at a time (an advisory lock); a node that
 * dies mid-way leaves an incomplete row that readers ignore and the next writer deletes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { LOCKS } from './advisory-locks.js';
import type { Pool, PoolClient } from './pg-pool.js';

/** Bytes per stored part: neither side ever holds a whole file in memory. */
const PART_BYTES = 8 * 1024 * 1024;
/** The replica's name among a snapshot's files (its size and hash are the snapshot row's own). */
const REPLICA = 'replica';
/**
 * How parts are stored: deflated at the fastest level (a replica shrinks to about a third, and
 * fetching it is what a new node waits for). Compressing and inflating run on libuv's thread pool,
 * so a node writing a snapshot keeps answering and one restoring fetches while it inflates.
 */
const ENCODING = 'deflate';
const READABLE_ENCODINGS = ['raw', ENCODING];
const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);
/** Parts fetched ahead of the one being written. */
const PREFETCH = 2;

/** A file stored with the replica (a saved search index), as the snapshot row lists it. */
export interface SnapshotFile {
  name: string;
  /** The format number its reader checks; a reader of another format leaves the file out. */
  format: number;
  /** The file's size. */
  bytes: number;
  /**
   * The hash of its parts as stored, in order (for 'raw' parts, the file's own hash): it proves a
   * reader got exactly the parts written, and inflating them gives back the file.
   */
  sha256: string;
}

export interface SnapshotInfo {
  id: number;
  position: number;
  replicaSchema: number;
  /** The replica's size and the hash of its parts as stored (as for `SnapshotFile`). */
  bytes: number;
  sha256: string;
  createdAt: string;
  files: SnapshotFile[];
  /** How its parts are stored: 'raw' or 'deflate'. */
  encoding: string;
}

/** A file to store with the replica: its name in the snapshot, where it is now, its format. */
export interface SnapshotInput {
  name: string;
  path: string;
  format: number;
}

interface SnapshotRow {
  id: number; position: number; replica_schema: number; bytes: number; sha256: string; created_at: Date; files: unknown; part_encoding: string;
}

export class PgSnapshots {
  constructor(private readonly pool: Pool) {}

  /** The newest complete snapshot a replica of schema `maxSchema` can open. */
  async latest(maxSchema: number): Promise<SnapshotInfo | undefined> {
    const { rows } = await this.pool.query<SnapshotRow>(
      'SELECT id, position, replica_schema, bytes, sha256, created_at, files, part_encoding FROM snapshots ' +
        'WHERE complete AND replica_schema <= $1 AND part_encoding = ANY($2) ORDER BY position DESC, id DESC LIMIT 1',
      [maxSchema, READABLE_ENCODINGS],
    );
    const row = rows[0];
    return row && {
      id: row.id, position: row.position, replicaSchema: row.replica_schema, bytes: row.bytes, sha256: row.sha256,
      createdAt: row.created_at.toISOString(), files: snapshotFiles(row.files), encoding: row.part_encoding,
    };
  }

  /**
   * Stores `file` (the replica) and `extras` as the snapshot at `position` unless another node is
   * writing one right now (false then). Older snapshots go once this one is complete.
   */
  async save(file: string, position: number, replicaSchema: number, extras: readonly SnapshotInput[] = []): Promise<boolean> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCKS.namespace, LOCKS.snapshot]);
      if (!rows[0]!.locked) return false;
      try {
        await client.query("DELETE FROM snapshots WHERE NOT complete AND created_at < now() - interval '1 hour'");
        const { rows: [created] } = await client.query<{ id: number }>(
          "INSERT INTO snapshots (position, replica_schema, bytes, sha256, part_encoding) VALUES ($1, $2, $3, '', $4) RETURNING id",
          [position, replicaSchema, fs.statSync(file).size, ENCODING],
        );
        const id = created!.id;
        const replica = await storeFile(client, id, REPLICA, file);
        const files: SnapshotFile[] = [];
        for (const extra of extras) files.push({ name: extra.name, format: extra.format, ...(await storeFile(client, id, extra.name, extra.path)) });
        await client.query('BEGIN');
        await client.query('UPDATE snapshots SET complete = true, bytes = $2, sha256 = $3, files = $4 WHERE id = $1', [id, replica.bytes, replica.sha256, JSON.stringify(files)]);
        await client.query('DELETE FROM snapshots WHERE id <> $1 AND complete AND position <= $2', [id, position]);
        await client.query('COMMIT');
        return true;
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCKS.namespace, LOCKS.snapshot]);
      }
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Writes the snapshot's replica to `file` (which must not exist), checking it against its hash. */
  async restore(snapshot: SnapshotInfo, file: string): Promise<void> {
    await this.restoreBytes(snapshot, REPLICA, snapshot.bytes, snapshot.sha256, file);
  }

  /** Writes one of the snapshot's other files to `file` (which must not exist), checking its hash. */
  async restoreFile(snapshot: SnapshotInfo, stored: SnapshotFile, file: string): Promise<void> {
    await this.restoreBytes(snapshot, stored.name, stored.bytes, stored.sha256, file);
  }

  /**
   * Parts are fetched ahead of the one being written (on other pooled connections), so that
   * PostgreSQL reads the next parts while this process inflates and writes the last.
   */
  private async restoreBytes(snapshot: SnapshotInfo, name: string, bytes: number, sha256: string, file: string): Promise<void> {
    const { id, encoding } = snapshot;
    const hash = createHash('sha256');
    // Each part is inflated as soon as it arrives, while the one before it is written.
    const fetchPart = async (part: number): Promise<{ stored: Buffer; content: Promise<Buffer> } | undefined> => {
      const { rows } = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM snapshot_parts WHERE snapshot_id = $1 AND file = $2 AND part = $3', [id, name, part]);
      const stored = rows[0]?.bytes;
      if (!stored) return undefined;
      const content = encoding === ENCODING ? inflate(stored) : Promise.resolve(stored);
      content.catch(() => {});
      return { stored, content };
    };
    const ahead: Promise<{ stored: Buffer; content: Promise<Buffer> } | undefined>[] = [];
    const fd = fs.openSync(file, 'wx');
    try {
      let written = 0;
      for (let part = 0; written < bytes; part++) {
        // Parts past the end are not asked for: a file's parts hold exactly its bytes.
        for (let next = part + ahead.length; ahead.length < PREFETCH && next * PART_BYTES < bytes; next++) ahead.push(fetchPart(next));
        const fetched = await ahead.shift()!;
        if (!fetched) throw new Error(`snapshot ${id} lacks part ${part} of its ${name} file (deleted while it was read?)`);
        hash.update(fetched.stored);
        const chunk = await fetched.content;
        fs.writeSync(fd, chunk);
        written += chunk.length;
      }
      fs.fsyncSync(fd);
    } finally {
      // Fetches still under way when writing failed: their outcome no longer matters.
      for (const pending of ahead) pending.catch(() => {});
      fs.closeSync(fd);
    }
    const digest = hash.digest('hex');
    if (digest !== sha256) throw new Error(`the ${name} file of snapshot ${id} does not match its hash (${digest} ≠ ${sha256})`);
  }
}

/** Stores `file` in parts under `name`; returns its size and the hash of its parts as stored. */
async function storeFile(client: PoolClient, id: number, name: string, file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  let offset = 0;
  try {
    const buffer = Buffer.alloc(PART_BYTES);
    for (let part = 0; ; part++) {
      const read = fs.readSync(fd, buffer, 0, PART_BYTES, offset);
      if (read === 0) break;
      const stored = await deflate(buffer.subarray(0, read), { level: 1 });
      hash.update(stored);
      await client.query('INSERT INTO snapshot_parts (snapshot_id, file, part, bytes) VALUES ($1, $2, $3, $4)', [id, name, part, stored]);
      offset += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { bytes: offset, sha256: hash.digest('hex') };
}

/** The files column as written by `save`; anything else (a newer writer's shape) lists nothing usable. */
function snapshotFiles(value: unknown): SnapshotFile[] {
  if (!Array.isArray(value)) return [];
  return value.filter((f): f is SnapshotFile => typeof f === 'object' && f !== null &&
    typeof f.name === 'string' && f.name !== REPLICA && Number.isSafeInteger(f.format) && Number.isSafeInteger(f.bytes) && f.bytes >= 0 && typeof f.sha256 === 'string');
}
