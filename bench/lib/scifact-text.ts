import fs from 'node:fs';
import path from 'node:path';
import { loadBeir } from '../../src/eval/beir-dataset.js';
import { corpus, WORK_DIR } from './paths.js';

/**
 * SciFact abstracts as plain-text documents (title on the first line), so that the scale
 * libraries hold a real scientific corpus ingested the way a user would add text files.
 */
export async function sciFactTextFolder(): Promise<string> {
  const folder = path.join(WORK_DIR, 'corpora', 'scifact-text');
  const done = path.join(folder, '.complete');
  if (fs.existsSync(done)) return folder;
  const dataset = await loadBeir(corpus.scifact, 'test');
  fs.mkdirSync(folder, { recursive: true });
  for (const doc of dataset.corpus) {
    fs.writeFileSync(path.join(folder, `abstract-${doc.id}.txt`), `${doc.title}\n\n${doc.text}\n`);
  }
  fs.writeFileSync(done, `${dataset.corpus.length}\n`);
  return folder;
}
