/**
 * A job's progress as people see it (items, pages, chunks embedded, rate, ETA) built from the
 * ingestion's progress callbacks, and what each finished item came to. The recorder is an
 * `IngestProgress`, so the pipeline reports to a job exactly as it reports to the CLI's bars.
 */
import type { FileOutcome, FileStatus, IngestProgress } from '../../ingest/progress.js';
import type { StoredJobItem } from '../../store/store.js';

export interface JobProgress {
  items: { done: number; total: number | null };
  outcomes: Partial<Record<FileStatus, number>>;
  pages: number;
  chunks: number;
  embedded: { done: number; total: number };
  /** The item being worked on. */
  current?: string;
  /** Items per second since the job (this run of it) started. */
  itemsPerSecond?: number;
  pagesPerSecond?: number;
  /** Seconds left at the current rate, when the total is known. */
  etaSeconds?: number;
  elapsedSeconds: number;
}

export function emptyProgress(): JobProgress {
  return { items: { done: 0, total: null }, outcomes: {}, pages: 0, chunks: 0, embedded: { done: 0, total: 0 }, elapsedSeconds: 0 };
}

export interface ProgressSink {
  /** The progress changed; called at most every `intervalMs`, and once at the end. */
  progress(progress: JobProgress): void;
  /** One item finished. */
  item(outcome: FileOutcome): void;
}

const round = (n: number) => Math.round(n * 10) / 10;

export class JobProgressRecorder implements IngestProgress {
  readonly state: JobProgress;
  private readonly startedAt = performance.now();
  private lastSent = 0;
  /** Items done in earlier runs of a resumed job, which the rate must not count. */
  private readonly doneBefore: number;
  private readonly pagesBefore: number;
  /** Items of earlier `start` calls (a refresh runs several batches). */
  private batchOffset = 0;
  private embeddedBefore = 0;

  constructor(private readonly sink: ProgressSink, resumedFrom?: JobProgress, private readonly intervalMs = 250) {
    this.state = resumedFrom ? structuredClone(resumedFrom) : emptyProgress();
    this.doneBefore = this.state.items.done;
    this.pagesBefore = this.state.pages;
  }

  start(totalFiles: number): void {
    this.batchOffset = this.state.items.done;
    this.state.items.total = totalFiles > 0 ? this.batchOffset + totalFiles : this.state.items.total;
    this.send(true);
  }

  total(totalFiles: number): void {
    this.state.items.total = Math.max(totalFiles, this.state.items.done);
    this.send();
  }

  fileStarted(file: string): void {
    this.state.current = file;
    this.send();
  }

  embedding(_file: string, done: number, total: number): void {
    if (done === 0) this.embeddedBefore = this.state.embedded.done;
    this.state.embedded = { done: this.embeddedBefore + done, total: this.embeddedBefore + total };
    this.send();
  }

  fileFinished(outcome: FileOutcome): void {
    const s = this.state;
    s.items.done += 1;
    if (s.items.total !== null && s.items.done > s.items.total) s.items.total = s.items.done;
    s.outcomes[outcome.status] = (s.outcomes[outcome.status] ?? 0) + 1;
    if (outcome.status !== 'unchanged' && outcome.status !== 'removed') {
      s.pages += outcome.pages ?? 0;
      s.chunks += outcome.chunks ?? 0;
    }
    this.sink.item(outcome);
    this.send();
  }

  finish(): void {
    delete this.state.current;
    this.send(true);
  }

  private send(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastSent < this.intervalMs) return;
    this.lastSent = now;
    const s = this.state;
    const seconds = (now - this.startedAt) / 1000;
    s.elapsedSeconds = round(seconds);
    const done = s.items.done - this.doneBefore;
    if (seconds > 0 && done > 0) {
      s.itemsPerSecond = round(done / seconds);
      s.pagesPerSecond = round((s.pages - this.pagesBefore) / seconds);
      if (s.items.total !== null) s.etaSeconds = Math.max(0, Math.round((s.items.total - s.items.done) / (done / seconds)));
    }
    this.sink.progress(structuredClone(s));
  }
}

/** Reports to several progress listeners at once (a job's recorder and the CLI's bars). */
export function teeProgress(...targets: IngestProgress[]): IngestProgress {
  return {
    start: (n) => targets.forEach((t) => t.start(n)),
    total: (n) => targets.forEach((t) => t.total?.(n)),
    fileStarted: (file, index) => targets.forEach((t) => t.fileStarted(file, index)),
    embedding: (file, done, total) => targets.forEach((t) => t.embedding(file, done, total)),
    fileFinished: (outcome) => targets.forEach((t) => t.fileFinished(outcome)),
    finish: () => targets.forEach((t) => t.finish()),
  };
}

/** Kinds that continue from their checkpoint (and keep their items) when resumed; the others start over, idempotently. */
export function continuesWhenResumed(kind: string): boolean {
  return kind === 'add-site';
}

/** A file's outcome as a job item, as both job tables record it. */
export function jobItemOf(outcome: FileOutcome): Omit<StoredJobItem, 'seq'> {
  return {
    item: outcome.file,
    status: outcome.status,
    ...(outcome.docId === undefined ? {} : { docId: outcome.docId }),
    ...(outcome.pages === undefined ? {} : { pages: outcome.pages }),
    ...(outcome.chunks === undefined ? {} : { chunks: outcome.chunks }),
    ...(outcome.error === undefined ? {} : { message: outcome.error }),
    warnings: outcome.warnings,
  };
}
