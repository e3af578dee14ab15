import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/corpus.js';

/**
 * A server starts three or more worker threads (the index thread, one search worker per core), and
 * each loads its own copy of every module it imports before it can answer: at start-up that loading
 * was most of the time to the first search. So the workers' code must not pull in packages only the
 * main thread needs: zod alone is ~100 modules, 0.1-0.25 s per thread on a 2-core machine.
 */
const SRC = path.join(REPO_ROOT, 'src');
const WORKERS = ['service/search-pool/search-worker.ts', 'search/indexes/index-worker.ts'];
const NOT_IN_WORKERS = ['zod', 'hono', '@hono/node-server', 'pg', 'commander', '@modelcontextprotocol/server'];

/** Runtime imports only: `import type` is erased by the compiler. */
const IMPORT = /^\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'/gm;

/** The packages a source file loads, following its relative imports. */
function packagesLoadedBy(entry: string): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, target] of fs.readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (target!.startsWith('.')) visit(path.resolve(path.dirname(file), target!.replace(/\.js$/, '.ts')));
      else if (!target!.startsWith('node:')) {
        const name = target!.startsWith('@') ? target!.split('/').slice(0, 2).join('/') : target!.split('/')[0]!;
        if (!packages.has(name)) packages.set(name, path.relative(SRC, file));
      }
    }
  };
  visit(path.join(SRC, entry));
  return packages;
}

for (const worker of WORKERS) {
  test(`${worker} loads no package only the main thread needs`, () => {
    const packages = packagesLoadedBy(worker);
    assert.ok(packages.has('better-sqlite3'), 'the walk reaches the store (else it found nothing)');
    for (const name of NOT_IN_WORKERS) {
      assert.equal(packages.get(name), undefined, `${worker} loads ${name} through ${packages.get(name)}; keep it out of the worker's imports (see this test's comment)`);
    }
  });
}
