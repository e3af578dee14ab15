import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { LIMITS } from '../../src/library/limits.js';
import { Library } from '../../src/service/library.js';

/**
 * A library holding the same guide in many versions: the best-ranked chunks of a search are the
 * copies of a few passages, which fold into one passage each. The search must still fill its page
 * and say whether there is another, and its pages must be the whole list cut in pieces.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-fold-depth-'));
const sources = path.join(root, 'sources');
const VERSIONS = 30;
const SECTIONS = 15;
let library: Library;

/** Fifteen sections that all name the gateway, each its own passage (its own words, its own length). */
function guide(): string {
  const sections = Array.from({ length: SECTIONS }, (_, i) =>
    `## Setting ${i + 1}\n\nThe gateway keeps setting ${i + 1} (term${i}a term${i}b) ${'padding words '.repeat(i * 3)}until it restarts.\n`);
  return `# Gateway Guide\n\n${sections.join('\n')}`;
}

before(async () => {
  for (let v = 1; v <= VERSIONS; v++) {
    const file = path.join(sources, 'acme', 'gateway', `${v}.0`, 'guide.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, guide());
  }
  library = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {}), 'write');
  assert.ok((await library.add(library.plan([sources]))).every((r) => r.status === 'added'));
});
after(async () => {
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const page = async (offset: number, limit: number, versions?: 'all') => {
  const response = await library.search({ query: 'gateway setting', mode: 'lexical', limit, offset, ...(versions ? { versions } : {}) });
  return { ids: response.hits.map((h) => h.chunkId), next: response.nextOffset, hits: response.hits };
};

test('a page is filled however many versions each passage has, and says whether another follows', async () => {
  const first = await page(0, 10);
  assert.equal(first.ids.length, 10, 'the hundred best chunks are copies of a few passages: the search reads deeper');
  assert.equal(first.next, 10);
  // Each passage is shown once, from the newest version, with the next newest versions under "also
  // in" as far as it lists them, and the count of the rest.
  assert.ok(first.ids.every((id) => id.startsWith(`gateway::${VERSIONS}.0::`)), first.ids.join(' '));
  const newest = Array.from({ length: LIMITS.alsoInListed }, (_, i) => `${VERSIONS - 1 - i}.0`);
  for (const hit of first.hits) {
    assert.deepEqual(hit.alsoIn.map((m) => m.version), newest);
    assert.equal(hit.alsoInMore, VERSIONS - 1 - LIMITS.alsoInListed);
  }
  const second = await page(10, 10);
  assert.equal(second.ids.length, SECTIONS - 10);
  assert.equal(second.next, undefined, 'the last page says so');
  const whole = await page(0, 20);
  assert.deepEqual([...first.ids, ...second.ids], whole.ids, 'pages are the whole list cut in pieces');
  assert.equal(new Set(whole.ids).size, SECTIONS);
});

test('with every version ranked alike, passages still fold and the page is still filled', async () => {
  const all = await page(0, 10, 'all');
  assert.equal(all.ids.length, 10);
  assert.equal(all.next, 10);
});
