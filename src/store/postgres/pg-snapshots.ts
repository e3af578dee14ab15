/**
 * Snapshots of a node's derived state in PostgreSQL, so that a new node starts from a file instead
 * of rebuilding from every row: the replica file, in parts, with the change-log position it
 * reflects and the replica schema it was written with. One node writes one at a time (an advisory
 * lock); a node that dies mid-way leaves an incomplete row that readers ignore and the next writer
 * deletes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { LOCKS } from './advisory-locks.js';
import type { Pool } from './pg-pool.js';

const PART_BYTES = 8 * 1024 * 1024;

export interface SnapshotInfo {
  id: number;
  position: number;
  replicaSchema: number;
  bytes: number;
  sha256: string;
  createdAt: string;
}

export class PgSnapshots {
  constructor(private readonly pool: Pool) {}

  /** The newest complete snapshot a replica of schema `maxSchema` can open. */
  async latest(maxSchema: number): Promise<SnapshotInfo | undefined> {
    const { rows } = await this.pool.query<{ id: number; position: number; replica_schema: number; bytes: number; sha256: string; created_at: Date }>(
      'SELECT id, position, replica_schema, bytes, sha256, created_at FROM snapshots WHERE complete AND replica_schema <= $1 ORDER BY position DESC, id DESC LIMIT 1',
      [maxSchema],
    );
    const row = rows[0];
    return row && { id: row.id, position: row.position, replicaSchema: row.replica_schema, bytes: row.bytes, sha256: row.sha256, createdAt: row.created_at.toISOString() };
  }

  /**
   * Stores `file` as the snapshot at `position` unless another node is writing one right now
   * (false then). Older snapshots go once this one is complete.
   */
  async save(file: string, position: number, replicaSchema: number): Promise<boolean> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS locked', [LOCKS.namespace, LOCKS.snapshot]);
      if (!rows[0]!.locked) return false;
      try {
        await client.query("DELETE FROM snapshots WHERE NOT complete AND created_at < now() - interval '1 hour'");
        const size = fs.statSync(file).size;
        const { rows: [created] } = await client.query<{ id: number }>(
          "INSERT INTO snapshots (position, replica_schema, bytes, sha256) VALUES ($1, $2, $3, '') RETURNING id", [position, replicaSchema, size],
        );
        const hash = createHash('sha256');
        const fd = fs.openSync(file, 'r');
        try {
          const buffer = Buffer.alloc(PART_BYTES);
          for (let part = 0, offset = 0; offset < size; part++) {
            const read = fs.readSync(fd, buffer, 0, PART_BYTES, offset);
            const bytes = buffer.subarray(0, read);
            hash.update(bytes);
            await client.query('INSERT INTO snapshot_parts (snapshot_id, part, bytes) VALUES ($1, $2, $3)', [created!.id, part, bytes]);
            offset += read;
          }
        } finally {
          fs.closeSync(fd);
        }
        await client.query('BEGIN');
        await client.query('UPDATE snapshots SET complete = true, sha256 = $2 WHERE id = $1', [created!.id, hash.digest('hex')]);
        await client.query('DELETE FROM snapshots WHERE id <> $1 AND complete AND position <= $2', [created!.id, position]);
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

  /** Writes the snapshot's bytes to `file` (which must not exist), checking them against its hash. */
  async restore(snapshot: SnapshotInfo, file: string): Promise<void> {
    const hash = createHash('sha256');
    const fd = fs.openSync(file, 'wx');
    try {
      let written = 0;
      for (let part = 0; written < snapshot.bytes; part++) {
        const { rows } = await this.pool.query<{ bytes: Buffer }>('SELECT bytes FROM snapshot_parts WHERE snapshot_id = $1 AND part = $2', [snapshot.id, part]);
        const bytes = rows[0]?.bytes;
        if (!bytes) throw new Error(`snapshot ${snapshot.id} lacks part ${part} (deleted while it was read?)`);
        hash.update(bytes);
        fs.writeSync(fd, bytes);
        written += bytes.length;
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    const digest = hash.digest('hex');
    if (digest !== snapshot.sha256) throw new Error(`snapshot ${snapshot.id} does not match its hash (${digest} ≠ ${snapshot.sha256})`);
  }
}
