/**
 * A child process for the crash tests: adds one file through the real pipeline and kills itself
 * with SIGKILL at an exact point of the document switch, so the parent can inspect what a crash
 * there leaves behind. Usage:
 *
 *   node --import tsx test/hardening/crash-at.ts <data dir> <file> <point>
 *
 * points: before-index-write (file renamed into place, no index rows yet), before-commit (rows
 * written, transaction not committed), after-commit (committed, journal and backup not yet removed).
 */
import { dataDirAt } from '../../src/library/data-dir.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { IsolatedConverter } from '../../src/ingest/convert/isolated-convert.js';
import { convertFile } from '../../src/ingest/convert/index.js';
import { addSource } from '../../src/ingest/pipeline.js';
import { fileSource } from '../../src/ingest/sources/source.js';
import { silentProgress } from '../../src/ingest/progress.js';
import type { LibraryStore } from '../../src/store/store.js';

const [dataDir, file, point] = process.argv.slice(2) as [string, string, string];
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const dir = dataDirAt(dataDir);
const real = new SqliteStore(dir.indexFile);
const store = new Proxy(real, {
  get(target, property) {
    if (property === 'replaceDocument' && point === 'before-index-write') return die;
    if (property === 'replaceDocument' && point === 'before-commit') {
      return (...args: Parameters<LibraryStore['replaceDocument']>) => {
        target.replaceDocument(...args);
        die();
      };
    }
    if (property === 'withWriteLock' && point === 'after-commit') {
      return (work: () => unknown) => {
        target.withWriteLock(work);
        die();
      };
    }
    const value: unknown = Reflect.get(target, property, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
}) as LibraryStore;

// Converting in this thread spares a worker start; isolation is not what is under test here.
const converter = { convert: convertFile, stop: async () => {} } as unknown as IsolatedConverter;
const result = await addSource(
  { dir, store, embedder: null, converter },
  fileSource(file, { vendor: 'Crash', product: 'crash', version: '1', document: 'manual' }),
  silentProgress,
);
// Reaching here means the crash point was never hit: report it so the test fails loudly.
process.stderr.write(`crash point ${point} not reached: ${JSON.stringify(result)}\n`);
process.exit(3);
