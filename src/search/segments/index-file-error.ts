/**
 * A saved index that cannot be used. The index is derived data, so every reason has the same remedy:
 * rebuild it from the store of record (and save it again).
 */
/** `mismatch`: readable, but built for other parameters (BM25 settings, vector dimensions). */
export type IndexFileProblem = 'missing' | 'not-an-index' | 'version' | 'truncated' | 'corrupt' | 'mismatch';

export class IndexFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: IndexFileProblem,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}. The search index is derived data: rebuild it from the library and save it again.`);
    this.name = 'IndexFileError';
  }
}
