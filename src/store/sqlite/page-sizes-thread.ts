/**
 * A document's page sizes in bytes, read on a short-lived thread of its own. Finding a page row
 * reads its whole text (the pages table is keyed by (document, page) WITHOUT ROWID, and SQLite
 * compares keys on the full record of a row that spills onto overflow pages): about 30 ms for a
 * 30 MB page, 200 ms near the upload limit. A document file's layout found from the file alone is
 * checked against these sizes once (library/document-file-windows.ts), and that read must not
 * hold the thread that answers requests. The thread opens the index read-only and runs one query,
 * and one more per page the index holds a little longer than its file (trailing white space).
 */

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** Plain JavaScript, so the thread needs no TypeScript loader in development. */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
try {
  db.pragma('busy_timeout = 5000');
  const rows = db.prepare('SELECT number, octet_length(markdown) AS bytes FROM pages WHERE doc_rowid = ? ORDER BY number').all(workerData.docRowid);
  const ending = db.prepare('SELECT substr(CAST(markdown AS BLOB), ?) AS tail FROM pages WHERE doc_rowid = ? AND number = ?');
  const fileBytes = new Map(workerData.fileBytes);
  for (const row of rows) {
    const inFile = fileBytes.get(row.number);
    // A page the index holds a few bytes longer than its file: those bytes, for the caller to check.
    if (inFile !== undefined && row.bytes > inFile && row.bytes - inFile <= workerData.maxTailBytes) {
      row.tail = Buffer.from(ending.get(inFile + 1, workerData.docRowid, row.number).tail).toString('utf8');
    }
  }
  parentPort.postMessage(rows);
} finally {
  db.close();
}
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

/**
 * Each page's size in bytes and, for a page the index holds at most `maxTailBytes` longer than
 * its file (`fileBytes`: page number → bytes), the index's bytes past the file's, as text.
 */
export function pageByteLengthsOffThread(
  indexFile: string, docRowid: number, fileBytes: ReadonlyMap<number, number>, maxTailBytes: number,
): Promise<{ number: number; bytes: number; tail?: string }[]> {
  return new Promise((resolve, reject) => {
    const workerData = { driver, file: indexFile, docRowid, fileBytes: [...fileBytes], maxTailBytes };
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData });
    let answered = false;
    worker.once('message', (rows: { number: number; bytes: number; tail?: string }[]) => {
      answered = true;
      resolve(rows);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`reading page sizes of document ${docRowid} from ${indexFile} failed (thread exit code ${code})`));
    });
  });
}
