/**
 * A child process for the concurrency test: searches a library in a loop until its stdin closes,
 * checking every answer, then prints a JSON summary. Usage:
 *
 *   node --import tsx test/hardening/search-loop.ts <data dir>
 *
 * An answer is valid when every hit names a well-formed chunk id, and a document the reader can
 * see, on a page that document has.
 */
import { loadConfig } from '../../src/config/config.js';
import { parseChunkId } from '../../src/library/ids.js';
import { Library } from '../../src/service/library.js';

const [data] = process.argv.slice(2) as [string];
const QUERIES = ['configure the server', 'application pool', 'authentication', 'logging', 'IIS Manager', 'web.config'];

let stopping = false;
process.stdin.on('end', () => (stopping = true)).resume();

const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'read');
const summary = { answers: 0, withHits: 0, invalid: [] as string[], errors: [] as string[] };
while (!stopping) {
  try {
    const { hits } = await library.search({ query: QUERIES[summary.answers % QUERIES.length]!, limit: 10 });
    for (const hit of hits) {
      const doc = library.documents().find((d) => d.docId === hit.docId);
      if (!parseChunkId(hit.chunkId)) summary.invalid.push(`malformed chunk id ${hit.chunkId}`);
      // A document replaced between the search and this look-up is not the search's fault.
      else if (doc && (hit.page < 1 || hit.page > doc.pageCount)) summary.invalid.push(`${hit.chunkId} on page ${hit.page} of ${doc.pageCount}`);
    }
    summary.answers++;
    if (hits.length > 0) summary.withHits++;
  } catch (error) {
    summary.errors.push((error as Error).message);
  }
  await new Promise((resolve) => setImmediate(resolve));
}
await library.close();
process.stdout.write(JSON.stringify(summary));
