import cliProgress from 'cli-progress';
import type { PullProgress } from '../embed/models/pull-model.js';
import type { RemoteFile } from '../embed/models/hub-listing.js';
import { formatBytes } from './format-bytes.js';

/**
 * Progress of `mcdewey model pull`, on stderr so stdout stays clean for --json: one bar over all bytes with speed
 * and ETA on a terminal, one line per finished file otherwise (CI logs, pipes), as for ingestion.
 */
export function createPullProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): PullProgress {
  if (quiet) return { start() {}, file() {}, fileDone() {}, stop() {} };
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

const OUTCOME_WORDS = { present: 'verified  ', downloaded: 'downloaded', resumed: 'resumed   ' } as const;

function lineProgress(stream: NodeJS.WriteStream): PullProgress {
  return {
    start(files) {
      const total = files.reduce((sum, file) => sum + file.size, 0);
      stream.write(`${files.length} files, ${formatBytes(total)}\n`);
    },
    file() {},
    fileDone(file, outcome) {
      stream.write(`${OUTCOME_WORDS[outcome]} ${file.path} (${formatBytes(file.size)})\n`);
    },
    stop() {},
  };
}

function barProgress(stream: NodeJS.WriteStream): PullProgress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      hideCursor: true,
      format: 'pull |{bar}| {percentage}% | {done} of {size} | {speed} | ETA {eta_formatted} | {file}',
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  const onDisk = new Map<string, number>();
  let startedAt = 0;
  // Bytes that arrived in this run: a file's first report may include bytes already on disk (verified or resumed).
  let received = 0;
  const report = (file: RemoteFile, bytes: number): void => {
    const before = onDisk.get(file.path);
    if (before !== undefined) received += Math.max(0, bytes - before);
    onDisk.set(file.path, bytes);
    const done = [...onDisk.values()].reduce((sum, value) => sum + value, 0);
    const seconds = (Date.now() - startedAt) / 1000;
    bar.update(done, { done: formatBytes(done), speed: seconds > 0.5 ? `${formatBytes(received / seconds)}/s` : '', file: file.path });
  };
  return {
    start(files) {
      startedAt = Date.now();
      const total = files.reduce((sum, file) => sum + file.size, 0);
      bar.start(total, 0, { done: formatBytes(0), size: formatBytes(total), speed: '', file: '' });
    },
    file: report,
    fileDone(file) {
      report(file, file.size);
    },
    stop() {
      bar.stop();
    },
  };
}
