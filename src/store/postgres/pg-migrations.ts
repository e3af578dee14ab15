/**
 * Numbered schema migrations of the PostgreSQL store, each applied once in its own transaction.
 * Nodes starting together take an advisory lock first, so only one of them migrates. Never edit a
 * released migration: add the next number.
 */
import { LibraryError } from '../../library/errors.js';
import { LOCKS } from './advisory-locks.js';
import { SCHEMA, inTransaction, type Pool } from './pg-pool.js';

export const PG_MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key text PRIMARY KEY, value jsonb NOT NULL);

      -- One row: the position of the last committed change. Writers bump it as the last step of
      -- their transaction, so its row lock orders commits and positions alike (no gaps a follower
      -- could read past while an earlier number is still uncommitted).
      CREATE TABLE change_head (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), position bigint NOT NULL);
      INSERT INTO change_head (position) VALUES (0);

      CREATE TABLE changes (
        seq bigint PRIMARY KEY,
        op text NOT NULL CHECK (op IN ('add', 'remove', 'reset')),
        doc_rowid bigint NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE documents (
        rowid bigserial PRIMARY KEY,
        doc_id text NOT NULL UNIQUE,
        vendor text NOT NULL,
        product text NOT NULL,
        source_path text NOT NULL UNIQUE,
        content_hash text NOT NULL,
        format text NOT NULL,
        markdown_hash text NOT NULL,
        -- The document file itself, so that nodes need no shared disk and reindex reads it here.
        markdown text NOT NULL,
        -- Every field of the document's metadata, as the indexer wrote it.
        meta jsonb NOT NULL,
        chunk_count integer NOT NULL,
        indexed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX documents_by_product ON documents (product, vendor);
      CREATE INDEX documents_by_content ON documents (content_hash);

      CREATE TABLE pages (
        doc_rowid bigint NOT NULL REFERENCES documents (rowid) ON DELETE CASCADE,
        number integer NOT NULL,
        label text,
        markdown text NOT NULL,
        ocr boolean NOT NULL DEFAULT false,
        PRIMARY KEY (doc_rowid, number)
      );

      -- Chunks with the hash of the embedded text and the vector (float32, little-endian; no
      -- extension needed). Their lexical fields are not stored: each node's indexes analyze the text.
      CREATE TABLE chunks (
        rowid bigserial PRIMARY KEY,
        doc_rowid bigint NOT NULL REFERENCES documents (rowid) ON DELETE CASCADE,
        chunk_id text NOT NULL UNIQUE,
        ordinal integer NOT NULL,
        page integer NOT NULL,
        page_end integer NOT NULL,
        page_label text,
        heading_path jsonb NOT NULL,
        text text NOT NULL,
        token_count integer NOT NULL,
        embed_hash text NOT NULL,
        vector bytea,
        UNIQUE (doc_rowid, ordinal)
      );
      CREATE INDEX chunks_by_embed_hash ON chunks (embed_hash);

      CREATE TABLE originals (
        content_hash text NOT NULL,
        format text NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (content_hash, format)
      );

      -- Ingestion jobs any node can take (FOR UPDATE SKIP LOCKED); a running job's lease expires
      -- when its node stops renewing it, and another node resumes it.
      CREATE TABLE jobs (
        id text PRIMARY KEY,
        kind text NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        request jsonb NOT NULL,
        progress jsonb NOT NULL,
        result jsonb,
        error text,
        owner text,
        lease_until timestamptz,
        cancel_requested boolean NOT NULL DEFAULT false,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        started_at timestamptz,
        finished_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      );
      CREATE INDEX jobs_open ON jobs (created_at) WHERE status IN ('queued', 'running');

      -- The files a job adds, held here so that whichever node takes the job can read them.
      CREATE TABLE job_files (
        job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        name text NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (job_id, seq)
      );

      -- What became of each item of a job: its document or its error.
      CREATE TABLE job_items (
        job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        item text NOT NULL,
        status text NOT NULL,
        doc_id text,
        pages integer,
        chunks integer,
        message text,
        warnings jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (job_id, seq)
      );

      -- Snapshots of a node's derived state (its replica file) at a change-log position, stored in
      -- parts so that neither side holds one huge value in memory.
      CREATE TABLE snapshots (
        id bigserial PRIMARY KEY,
        position bigint NOT NULL,
        replica_schema integer NOT NULL,
        bytes bigint NOT NULL,
        sha256 text NOT NULL,
        complete boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE snapshot_parts (
        snapshot_id bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
        part integer NOT NULL,
        bytes bytea NOT NULL,
        PRIMARY KEY (snapshot_id, part)
      );
    `,
  },
  {
    version: 2,
    sql: `
      -- A snapshot also holds the node's saved search index files, so that a new node loads them
      -- instead of rebuilding its indexes from every chunk: their names, formats, sizes and hashes
      -- here, their bytes in parts beside the replica's.
      ALTER TABLE snapshots ADD COLUMN files jsonb NOT NULL DEFAULT '[]';
      ALTER TABLE snapshot_parts ADD COLUMN file text NOT NULL DEFAULT 'replica';
      ALTER TABLE snapshot_parts DROP CONSTRAINT snapshot_parts_pkey;
      ALTER TABLE snapshot_parts ADD PRIMARY KEY (snapshot_id, file, part);
      -- Parts are now deflated by the writer ('raw': as version 1 stored them). A new node's start
      -- is bound by fetching them: a third of the bytes, and PostgreSQL neither compresses them
      -- again on writing nor decompresses them on reading.
      ALTER TABLE snapshots ADD COLUMN part_encoding text NOT NULL DEFAULT 'raw';
      ALTER TABLE snapshot_parts ALTER COLUMN bytes SET STORAGE EXTERNAL;
    `,
  },
  {
    version: 3,
    sql: `
      -- Folders and sites added whole, as the embedded index's sources table keeps them: what they
      -- were added with, and a site's last finished crawl (URLs, ETag/Last-Modified, content
      -- hashes), so that any node can refresh what another one crawled.
      CREATE TABLE sources (
        kind text NOT NULL CHECK (kind IN ('folder', 'site')),
        location text NOT NULL,
        settings jsonb NOT NULL,
        state jsonb,
        added_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        refreshed_at timestamptz,
        PRIMARY KEY (kind, location)
      );
      -- What a resumed job continues from (a crawl's saved state), written with the lease renewal.
      ALTER TABLE jobs ADD COLUMN checkpoint jsonb;
    `,
  },
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]!.version;

/** Creates the schema or brings it up to date; refuses a schema written by a newer McDewey. */
export async function migratePostgres(pool: Pool): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCKS.namespace, LOCKS.migrate]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${SCHEMA}.schema_migrations`);
    const current = rows[0]?.version ?? 0;
    if (current > PG_SCHEMA_VERSION) {
      throw new LibraryError(
        'unavailable',
        `the PostgreSQL store has schema ${current}, but this McDewey knows only up to ${PG_SCHEMA_VERSION}`,
        'Upgrade McDewey on this node to the version the other nodes run',
      );
    }
    for (const migration of PG_MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(`SET LOCAL search_path = ${SCHEMA}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${SCHEMA}.schema_migrations (version) VALUES ($1)`, [migration.version]);
    }
  });
}
