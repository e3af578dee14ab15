/**
 * The cached libraries a benchmark read, so its result file can say whether each was built by the
 * ingestion code the repository has now. A library built by older code is still used (rebuilding
 * costs up to an hour of embedding), and its figures then describe that code's conversion and
 * chunking: the known-item sentences themselves are drawn from the library's text.
 */
export interface LibraryUse {
  name: string;
  embedder: string;
  /** Digest of the ingestion code that built it (libraries.ts, ingestCodeDigest). */
  ingestCode: string | null;
  /** Whether that is the code src/ holds now. */
  current: boolean;
  /** When not: the files under src/ that differ from those that built it (absent when the library did not record them). */
  changed?: string[];
}

let uses: LibraryUse[] = [];

export function recordLibraryUse(use: LibraryUse): void {
  if (!uses.some((u) => u.name === use.name && u.embedder === use.embedder)) uses.push(use);
}

/** The uses recorded since the last call, and a fresh list. */
export function takeLibraryUses(): LibraryUse[] {
  const taken = uses;
  uses = [];
  return taken;
}
