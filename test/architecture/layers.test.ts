import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../support/corpus.js';

/**
 * Dependencies point down (ARCHITECTURE.md): every import between two folders of src/ goes from a
 * higher layer to a lower one, and no files import each other in a loop. Read from the sources
 * themselves, so a new import that runs back up fails here.
 */
const SRC = path.join(REPO_ROOT, 'src');

/** Each top-level part of src/ and its layer; a part may import only parts of lower layers. */
export const LAYERS: Readonly<Record<string, number>> = {
  'version.ts': 0,
  runtime: 0,
  library: 1,
  analysis: 2,
  config: 2,
  store: 3,
  embed: 3,
  ingest: 4,
  search: 4,
  eval: 5,
  service: 6,
  http: 7,
  present: 8,
  api: 9,
  web: 9,
  mcp: 9,
  server: 10,
  cli: 11,
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm;

/** file → the src files it imports (relative imports only; packages are not layers). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) => path.resolve(path.dirname(file), m[1]!.replace(/\.js$/, '.ts')));
    graph.set(file, targets);
  }
  return graph;
}

const partOf = (file: string) => path.relative(SRC, file).split(path.sep)[0]!;

test('every part of src/ has a layer', () => {
  const parts = new Set(sourceFiles(SRC).map(partOf));
  assert.deepEqual([...parts].filter((p) => LAYERS[p] === undefined), []);
});

test('imports between parts of src/ only go down the layers', () => {
  const upward: string[] = [];
  for (const [file, targets] of importGraph()) {
    for (const target of targets) {
      const from = partOf(file);
      const to = partOf(target);
      if (from !== to && !(LAYERS[to]! < LAYERS[from]!)) upward.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
    }
  }
  assert.deepEqual(upward, []);
});

test('no files import each other in a loop', () => {
  const graph = importGraph();
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].map((f) => path.relative(SRC, f)).join(' → '));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});
