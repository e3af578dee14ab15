import path from 'node:path';
import cliProgress from 'cli-progress';
import type { FileOutcome, IngestProgress } from '../ingest/progress.js';
import { terminalLine } from './terminal-text.js';

/**
 * Progress for long ingestion: two live bars (files; chunks embedded, with rate and ETA) on a
 * terminal, and one plain line per file otherwise (CI logs, pipes), always on stderr so that
 * stdout stays clean for --json.
 */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): IngestProgress {
  if (quiet) return { start() {}, fileStarted() {}, embedding() {}, fileFinished() {}, finish() {} };
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

/** One line per file; errors and warnings can quote document text, so they are made terminal-safe. */
function describe(result: FileOutcome): string {
  return terminalLine(describeRaw(result));
}

function describeRaw(result: FileOutcome): string {
  const counts = result.pages === undefined ? '' : ` (${result.pages} pages, ${result.chunks} chunks${result.embedded ? `, ${result.embedded} embedded` : ''})`;
  // Conversion errors already start with the file's name; say it once.
  if (result.status === 'failed') return `failed     ${result.file}: ${result.error?.startsWith(`${result.file}: `) ? result.error.slice(result.file.length + 2) : result.error}`;
  return `${result.status.padEnd(10)} ${result.sourcePath ?? result.file}${counts}`;
}

function lineProgress(stream: NodeJS.WriteStream): IngestProgress {
  let total = 0;
  let startedAt = 0;
  let pages = 0;
  return {
    start(n) {
      total = n;
      startedAt = Date.now();
    },
    fileStarted() {},
    embedding() {},
    fileFinished(result) {
      pages += result.pages ?? 0;
      stream.write(`${describe(result)}\n`);
      for (const warning of result.warnings.slice(0, 5)) stream.write(`  warning: ${terminalLine(warning)}\n`);
    },
    finish() {
      const seconds = (Date.now() - startedAt) / 1000;
      stream.write(`${total} file(s), ${pages} pages in ${seconds.toFixed(1)} s\n`);
    },
  };
}

function barProgress(stream: NodeJS.WriteStream): IngestProgress {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      clearOnComplete: false,
      hideCursor: true,
      format: '{label} |{bar}| {value}/{total} {unit} | {rate} | ETA {eta_formatted} | {detail}',
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let files: cliProgress.SingleBar | undefined;
  let chunks: cliProgress.SingleBar | undefined;
  let embedStart = 0;
  let embeddedBefore = 0;
  let embeddedTotal = 0;
  let pages = 0;
  let startedAt = 0;
  let done = 0;
  return {
    start(n) {
      // A refresh reports several batches: the bars grow rather than start over.
      if (files) {
        files.setTotal(done + n);
        return;
      }
      startedAt = Date.now();
      files = multi.create(n, 0, { label: 'files ', unit: 'files', rate: '', detail: '' });
      chunks = multi.create(0, 0, { label: 'embed ', unit: 'chunks', rate: '', detail: '' });
    },
    total(n) {
      files?.setTotal(n);
    },
    fileStarted(file) {
      files?.update(done, { detail: path.basename(file) });
    },
    embedding(_file, done, total) {
      if (done === 0) {
        embedStart = Date.now();
        chunks?.setTotal(embeddedTotal + total);
      }
      const seconds = (Date.now() - embedStart) / 1000;
      const rate = seconds > 0 ? `${(done / seconds).toFixed(1)} chunks/s` : '';
      chunks?.update(embeddedBefore + done, { rate });
      if (done === total) {
        embeddedBefore += total;
        embeddedTotal += total;
      }
    },
    fileFinished(result) {
      pages += result.pages ?? 0;
      done += 1;
      const seconds = (Date.now() - startedAt) / 1000;
      if (files && done > files.getTotal()) files.setTotal(done);
      files?.update(done, { rate: `${(pages / Math.max(seconds, 0.001)).toFixed(1)} pages/s` });
      if (result.status === 'failed' || result.warnings.length > 0) multi.log(`${describe(result)}\n`);
    },
    finish() {
      multi.stop();
      const seconds = (Date.now() - startedAt) / 1000;
      stream.write(`${pages} pages in ${seconds.toFixed(1)} s\n`);
    },
  };
}
