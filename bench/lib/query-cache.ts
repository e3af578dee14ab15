import fs from 'node:fs';
import path from 'node:path';
import { ensureLibrary } from './libraries.js';
import { openLibrary } from './open-library.js';
import { WORK_DIR } from './paths.js';
import { latencyQueries, type BenchQuery } from './query-set.js';

/** The latency query set, drawn once from the 10k library and kept in bench/work. */
export async function benchQueries(embedder: string, count: number, seed: number): Promise<BenchQuery[]> {
  const file = path.join(WORK_DIR, `queries-${count}-seed${seed}.json`);
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as BenchQuery[];
  const library = await openLibrary((await ensureLibrary('10k', embedder)).data, embedder);
  try {
    const queries = await latencyQueries(library, count, seed);
    fs.mkdirSync(WORK_DIR, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(queries, null, 1)}\n`);
    return queries;
  } finally {
    await library.close();
  }
}
