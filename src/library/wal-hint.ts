/**
 * SQLite answers a bare "disk I/O error" to a process that opens an index whose write-ahead log
 * was deleted while another process had it open (the shared-memory index still describes the
 * lost log). This says what that usually means and what to do.
 */
export const WAL_HINT =
  'If another McDewey process (mcdewey serve, mcdewey mcp, an add) has this data directory open, its write-ahead log ' +
  '(index.sqlite-wal) may have been deleted under it: stop those processes and run the command again, then `mcdewey check` ' +
  '(`mcdewey reindex` rebuilds the index from the Markdown files). Otherwise check the disk';
