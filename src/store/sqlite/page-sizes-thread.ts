/**
 * A document's page sizes in bytes, read on a short-lived thread of its own. Finding a page row
 * reads its whole text (the pages table is keyed by (document, page) WITHOUT ROWID, and SQLite
 * compares keys on the full record of a row that spills onto overflow pages): about 30 ms for a
 * 30 MB page, 200 ms near the upload limit. A document file's layout found from the file alone is
 * checked against these sizes once (library/document-file-windows.ts), and that read must not
 * hold the thread that answers requests. The thread opens the index read-only and runs one query.
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
  parentPort.postMessage(rows);
} finally {
  db.close();
}
`;

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

export function pageByteLengthsOffThread(indexFile: string, docRowid: number): Promise<{ number: number; bytes: number }[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { driver, file: indexFile, docRowid } });
    let answered = false;
    worker.once('message', (rows: { number: number; bytes: number }[]) => {
      answered = true;
      resolve(rows);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`reading page sizes of document ${docRowid} from ${indexFile} failed (thread exit code ${code})`));
    });
  });
}
