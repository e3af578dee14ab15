import type { AddResult } from './pipeline.js';

/** What long-running ingestion reports, so the CLI can draw bars and servers can log lines. */
export interface IngestProgress {
  start(totalFiles: number): void;
  fileStarted(file: string, index: number): void;
  embedding(file: string, done: number, total: number): void;
  fileFinished(result: AddResult): void;
  finish(): void;
}

export const silentProgress: IngestProgress = {
  start() {},
  fileStarted() {},
  embedding() {},
  fileFinished() {},
  finish() {},
};
