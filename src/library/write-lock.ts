/**
 * How long a write waits for another process's write (add, remove, reindex, an upload) to commit
 * before it gives up with "database is locked". Writers hold the index's write lock only while a
 * document's rows are replaced, but a very large document takes tens of seconds to index.
 */
export const WRITE_LOCK_WAIT_MS = 120_000;
