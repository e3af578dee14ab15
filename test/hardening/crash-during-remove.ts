/**
 * A child process for the removal crash tests: removes one document through the real service and
 * kills itself with SIGKILL at an exact point, so the parent can inspect what a crash there
 * leaves behind. Usage:
 *
 *   node --import tsx test/hardening/crash-during-remove.ts <data dir> <doc id> <point>
 *
 * points: before-commit (file moved aside, index entry not yet deleted), after-commit (index
 * entry deleted, the moved file and the journal not yet removed).
 */
import { loadConfig } from '../../src/config/config.js';
import { parseDocumentId } from '../../src/library/ids.js';
import { Library } from '../../src/service/library.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const [dataDir, docId, point] = process.argv.slice(2) as [string, string, string];
const die = (): never => {
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable');
};

const library = await Library.open(loadConfig({ data: dataDir, embedder: 'none' }, {}), 'write');
const { withWriteLock } = SqliteStore.prototype;
if (point === 'before-commit') SqliteStore.prototype.removeDocument = die;
if (point === 'after-commit') {
  SqliteStore.prototype.withWriteLock = function <T>(this: SqliteStore, work: () => T): T {
    withWriteLock.call(this, work);
    return die();
  };
}
const key = parseDocumentId(docId)!;
await library.remove(key);
// Reaching here means the crash point was never hit: report it so the test fails loudly.
process.stderr.write(`crash point ${point} not reached\n`);
process.exit(3);
