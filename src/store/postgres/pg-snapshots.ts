/**
 * Snapshots of a node's derived state in PostgreSQL, so that a new node starts from files instead
 * of rebuilding from every row: the replica file and the saved search index files beside it, each
 * in parts, with the change-log position the replica reflects, the replica schema it was written
 * with and each index file's format. One node writes one at a time (an advisory lock); a node that
 * dies mid-way leaves an incomplete row that readers ignore and the next writer deletes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { LOCKS } from './advisory-locks.js';
import type { Pool, PoolClient } from './pg-pool.js';

/** Bytes per stored part: neither side ever holds a whole file in memory. */
const PART_BYTES = 8 * 1024 * 1024;
/** The replica's name among a snapshot's files (its size and hash are the snapshot row's own). */
const REPLICA = 'replica';

/** A file stored with the replica (a saved search index), as the snapshot row lists it. */
export interface SnapshotFile {
  name: string;
  /** The format number its reader checks; a reader of another format leaves the file out. */
  format: number;
  bytes: number;
  sha256: string;
}

export interface SnapshotInfo {
  id: number;
  position: number;
  replicaSchema: number;
  bytes: number;
  sha256: string;
  createdAt: string;
  files: SnapshotFile[];
}

/** A file to store with the replica: its name in the snapshot, where it is now, its format. */
export interface SnapshotInput {
  name: string;
  path: string;
  format: number;
}

interface SnapshotRow {
  id: number; position: number; replica_schema: number; bytes: number; sha256: string; created_at: Date; files: unknown;
}

export class PgSnapshots {
  constructor(private readonly pool: Pool) {}

  /** The newest complete snapshot a replica of schema `maxSchema` can open. */
  async latest(maxSchema: number): Promise<SnapshotInfo | undefined> {
    const { rows } = await this.pool.query<SnapshotRow>(
      'SELECT id, position, replica_schema, bytes, sha256, created_at, files FROM snapshots WHERE complete AND replica_schema <= $1 ORDER BY position DESC, id DESC LIMIT 1',
      [maxSchema],
    );
    const row = rows[0];
    return row && {
      id: row.id, position: row.position, replicaSchema: row.replica_schema, bytes: row.bytes, sha256: row.sha256,
      createdAt: row.created_at.toISOString(), files: snapshotFiles(row.files),
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
          "INSERT INTO snapshots (position, replica_schema, bytes, sha256) VALUES ($1, $2, $3, '') RETURNING id", [position, replicaSchema, fs.statSync(file).size],
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
    await this.restoreBytes(snapshot.id, REPLICA, snapshot.bytes, snapshot.sha256, file);
  }

  /** Writes one of the snapshot's other files to `file` (which must not exist), checking its hash. */
  async restoreFile(snapshot: SnapshotInfo, stored: SnapshotFile, file: string): Promise<void> {
    await this.restoreBytes(snapshot.id, stored.name, stored.bytes, stored.sha256, file);
  }

  /**
   * Parts are fetched one ahead of the one being written (on another pooled connection), so that
   * PostgreSQL reads and encodes the next part while this process decodes and writes the last.
   */
  private async restoreBytes(id: number, name: string, bytes: number, sha256: string, file: string): Promise<void> {
    const hash = createHash('sha256');
    const fetchPart = async (part: number): Promise<Buffer> => {
      const { rows } = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM snapshot_parts WHERE snapshot_id = $1 AND file = $2 AND part = $3', [id, name, part]);
      const found = rows[0]?.bytes;
      if (!found) throw new Error(`snapshot ${id} lacks part ${part} of its ${name} file (deleted while it was read?)`);
      return found;
    };
    const fd = fs.openSync(file, 'wx');
    let next: Promise<Buffer> | undefined;
    try {
      let written = 0;
      next = bytes > 0 ? fetchPart(0) : undefined;
      for (let part = 0; written < bytes; part++) {
        const chunk = await next!;
        written += chunk.length;
        next = written < bytes ? fetchPart(part + 1) : undefined;
        hash.update(chunk);
        fs.writeSync(fd, chunk);
      }
      fs.fsyncSync(fd);
    } finally {
      // A fetch still under way when writing failed: its outcome no longer matters.
      next?.catch(() => {});
      fs.closeSync(fd);
    }
    const digest = hash.digest('hex');
    if (digest !== sha256) throw new Error(`the ${name} file of snapshot ${id} does not match its hash (${digest} ≠ ${sha256})`);
  }
}

/** Stores `file` in parts under `name`; returns its size and hash as read. */
async function storeFile(client: PoolClient, id: number, name: string, file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  let offset = 0;
  try {
    const buffer = Buffer.alloc(PART_BYTES);
    for (let part = 0; ; part++) {
      const read = fs.readSync(fd, buffer, 0, PART_BYTES, offset);
      if (read === 0) break;
      const bytes = buffer.subarray(0, read);
      hash.update(bytes);
      await client.query('INSERT INTO snapshot_parts (snapshot_id, file, part, bytes) VALUES ($1, $2, $3, $4)', [id, name, part, bytes]);
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
