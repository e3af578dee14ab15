import type { ErrorCode } from '../library/errors.js';

/** What long-running ingestion reports, so the CLI can draw bars and servers can log lines. */
export type FileStatus = 'added' | 'updated' | 'relabelled' | 'unchanged' | 'removed' | 'reindexed' | 'skipped' | 'failed';

/** How one file of a batch ended: what the progress display shows for it. */
export interface FileOutcome {
  file: string;
  status: FileStatus;
  /** The document's id and where it is filed in the library, when known. */
  docId?: string;
  sourcePath?: string;
  pages?: number;
  chunks?: number;
  /** Chunks whose vectors had to be computed (the rest were reused). */
  embedded?: number;
  warnings: string[];
  error?: string;
  /** The error's code in the one vocabulary (library/errors.ts), when it has one. */
  code?: ErrorCode;
}

export interface IngestProgress {
  start(totalFiles: number): void;
  /** The total grew (a crawl finds more pages as it goes). */
  total?(totalFiles: number): void;
  fileStarted(file: string, index: number): void;
  embedding(file: string, done: number, total: number): void;
  fileFinished(outcome: FileOutcome): void;
  finish(): void;
}

export const silentProgress: IngestProgress = {
  start() {},
  fileStarted() {},
  embedding() {},
  fileFinished() {},
  finish() {},
};
