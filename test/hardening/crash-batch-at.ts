/**
 * A child process for the batch crash test: adds every file of a folder through the real pipeline
 * (`addSources`, which writes documents in batches) and kills itself with SIGKILL inside the first
 * batch that holds at least two documents. Before dying it prints the ids of that batch's documents,
 * one line `batch <id> <id> …`, so the parent knows which documents were in flight. Usage:
 *
 *   node --import tsx test/hardening/crash-batch-at.ts <data dir> <folder> <point>
 *
 * points: mid-batch (the second document's rows written, the transaction not committed) and
 * after-commit (the batch committed, its journal, backups and staged files not yet removed).
 */
import { dataDirAt } from '../../src/library/data-dir.js';
import { documentIdOf } from '../../src/library/ids.js';
import type { DocumentMeta } from '../../src/library/model.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { IsolatedConverter } from '../../src/ingest/convert/isolated-convert.js';
import { convertFile } from '../../src/ingest/convert/index.js';
import { addSources } from '../../src/ingest/pipeline.js';
import { discoverSources } from '../../src/ingest/sources/discover.js';
import { silentProgress } from '../../src/ingest/progress.js';
import type { LibraryStore } from '../../src/store/store.js';

const [dataDir, folder, point] = process.argv.slice(2) as [string, string, string];

const dir = dataDirAt(dataDir);
const real = new SqliteStore(dir.indexFile);
let inBatch: string[] | undefined;
const die = (): never => {
  process.stdout.write(`batch ${inBatch!.join(' ')}\n`); // synchronous on a pipe
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};
const store = new Proxy(real, {
  get(target, property) {
    if (property === 'withWriteLock') {
      return <T>(work: () => T): T => {
        inBatch = [];
        const result = target.withWriteLock(work);
        if (point === 'after-commit' && inBatch.length >= 2) die();
        inBatch = undefined;
        return result;
      };
    }
    if (property === 'replaceDocument') {
      return (...args: Parameters<LibraryStore['replaceDocument']>) => {
        target.replaceDocument(...args);
        inBatch?.push(documentIdOf((args[0] as DocumentMeta).key));
        if (point === 'mid-batch' && inBatch && inBatch.length >= 2) die();
      };
    }
    const value: unknown = Reflect.get(target, property, target);
    return typeof value === 'function' ? value.bind(target) : value;
  },
}) as LibraryStore;

// Converting in this thread spares a worker start; isolation is not what is under test here.
const converter = { convert: convertFile, stop: async () => {} } as unknown as IsolatedConverter;
const { sources } = discoverSources(folder, { vendor: 'Crash', product: 'batch', version: '1' });
const results = await addSources({ dir, store, embedder: null, converter }, sources, silentProgress);
process.stderr.write(`crash point ${point} not reached: ${results.length} results, no batch of two or more documents\n`);
process.exit(3);
