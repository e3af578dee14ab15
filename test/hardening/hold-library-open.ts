/**
 * A child process that adds one document and then keeps the library open (its write-ahead log
 * not yet merged into the index) until its stdin closes, as a running `mcdewey serve` would.
 * Prints "ready" once the document is in. Usage:
 *
 *   node --import tsx test/hardening/hold-library-open.ts <data dir> <markdown file>
 */
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';

const [dataDir, file] = process.argv.slice(2) as [string, string];
const library = await Library.open(loadConfig({ data: dataDir, embedder: 'none' }, {}), 'write');
const [result] = await library.add(library.plan([file], { vendor: 'Acme', product: 'widget', version: '1.0', collection: 'held' }));
if (result?.status !== 'added') throw new Error(`could not add ${file}: ${result?.error}`);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => void library.close().then(() => process.exit(0)));
