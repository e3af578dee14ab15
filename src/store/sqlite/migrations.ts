/**
 * Numbered schema migrations, applied in order inside one transaction each; PRAGMA user_version
 * records the last one applied. Never edit a released migration: add the next number.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE documents (
        rowid INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL UNIQUE,
        vendor TEXT NOT NULL,
        vendor_label TEXT NOT NULL,
        product TEXT NOT NULL,
        product_label TEXT NOT NULL,
        version TEXT NOT NULL,
        version_label TEXT NOT NULL,
        collection TEXT NOT NULL,
        document TEXT NOT NULL,
        title TEXT NOT NULL,
        source_path TEXT NOT NULL UNIQUE,
        original_file TEXT NOT NULL,
        format TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        markdown_hash TEXT NOT NULL,
        page_count INTEGER NOT NULL,
        chunk_count INTEGER NOT NULL,
        converted_at TEXT NOT NULL,
        indexed_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX documents_by_product ON documents (product, version);
      CREATE INDEX documents_by_hash ON documents (content_hash);

      CREATE TABLE pages (
        doc_rowid INTEGER NOT NULL REFERENCES documents (rowid) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        label TEXT,
        markdown TEXT NOT NULL,
        PRIMARY KEY (doc_rowid, number)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE chunks (
        rowid INTEGER PRIMARY KEY,
        chunk_id TEXT NOT NULL UNIQUE,
        doc_rowid INTEGER NOT NULL REFERENCES documents (rowid) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        page INTEGER NOT NULL,
        page_end INTEGER NOT NULL,
        page_label TEXT,
        heading_path TEXT NOT NULL,
        text TEXT NOT NULL,
        token_count INTEGER NOT NULL,
        len_title INTEGER NOT NULL,
        len_headings INTEGER NOT NULL,
        len_body INTEGER NOT NULL,
        embed_hash TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX chunks_by_ordinal ON chunks (doc_rowid, ordinal);
      CREATE INDEX chunks_by_page ON chunks (doc_rowid, page);
      CREATE INDEX chunks_by_embed_hash ON chunks (embed_hash);

      -- Contentless: the analyzed text lives only in the index; chunk text is in chunks.text.
      CREATE VIRTUAL TABLE chunks_fts USING fts5 (
        title, headings, body,
        content = '', contentless_delete = 1,
        tokenize = 'unicode61 remove_diacritics 0'
      );
      CREATE VIRTUAL TABLE chunks_vocab USING fts5vocab (chunks_fts, instance);
    `,
  },
  {
    version: 2,
    sql: `
      -- A document's place in its collection's navigation (docs sites, folder trees); NULL when it has none.
      ALTER TABLE documents ADD COLUMN nav_order INTEGER;
      ALTER TABLE documents ADD COLUMN nav_trail TEXT;
    `,
  },
  {
    version: 3,
    sql: `
      -- Every change to the set of indexed documents, in commit order: derived indexes (in this
      -- process, another process, another node) follow it instead of reloading everything. 'reset'
      -- means the vectors were dropped (the embedder changed).
      CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        op TEXT NOT NULL CHECK (op IN ('add', 'remove', 'reset')),
        doc_rowid INTEGER NOT NULL
      ) STRICT;
      INSERT INTO changes (op, doc_rowid) SELECT 'add', rowid FROM documents ORDER BY rowid;
    `,
  },
  {
    version: 4,
    sql: `
      -- Lexical ranking moved to an in-memory index derived from the chunks' text (src/search/lexical),
      -- so ingestion stops paying for FTS5 postings and per-chunk field lengths.
      DROP TABLE chunks_vocab;
      DROP TABLE chunks_fts;
      ALTER TABLE chunks DROP COLUMN len_title;
      ALTER TABLE chunks DROP COLUMN len_headings;
      ALTER TABLE chunks DROP COLUMN len_body;
      -- Names this database's change log: index files saved against another database are rebuilt.
      INSERT INTO meta (key, value) VALUES ('change_log', lower(hex(randomblob(16))));
    `,
  },
  {
    version: 5,
    sql: `
      -- The collection and document labels as typed, so that two labels making the same slug are
      -- refused as a conflict instead of merged; NULL for documents added before they were kept.
      ALTER TABLE documents ADD COLUMN collection_label TEXT;
      ALTER TABLE documents ADD COLUMN document_label TEXT;
    `,
  },
  {
    version: 6,
    sql: `
      -- Where each document came from (JSON: file, upload or URL with its HTTP validators); NULL for
      -- documents indexed before origins were kept, whose original_file then tells.
      ALTER TABLE documents ADD COLUMN origin TEXT;

      -- Folders and sites added whole: refreshing re-scans or re-crawls them with these settings.
      CREATE TABLE sources (
        kind TEXT NOT NULL CHECK (kind IN ('folder', 'site')),
        location TEXT NOT NULL,
        settings TEXT NOT NULL,
        state TEXT,
        added_at TEXT NOT NULL,
        refreshed_at TEXT,
        PRIMARY KEY (kind, location)
      ) STRICT, WITHOUT ROWID;

      -- Ingestion jobs, durable across restarts. owner and heartbeat_at tell a job some process is
      -- running from one whose process died; checkpoint is what resuming it needs (a crawl's state).
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        request TEXT NOT NULL,
        progress TEXT NOT NULL,
        checkpoint TEXT,
        result TEXT,
        error TEXT,
        owner TEXT,
        heartbeat_at INTEGER,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX jobs_by_status ON jobs (status, created_at);

      -- What became of each item of a job (a file, a page): its document or its error.
      CREATE TABLE job_items (
        job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        item TEXT NOT NULL,
        status TEXT NOT NULL,
        doc_id TEXT,
        pages INTEGER,
        chunks INTEGER,
        message TEXT,
        warnings TEXT NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) STRICT, WITHOUT ROWID;
    `,
  },
];

/** The schema version this McDewey writes (a snapshot records it; a node opens only those it knows). */
export const INDEX_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
