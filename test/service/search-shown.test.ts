import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import type { SearchHit } from '../../src/service/types.js';

/**
 * A search ranks only as many passages as its page shows (search-engine.ts rankPassages): every
 * page of a paged search must be exactly that part of one long result list. The library is made
 * so that the identifier bonus reorders passages: some sections name `session_timeout` verbatim,
 * others hold "session" and "timeout" more often but apart, in two versions of a product.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-shown-'));
let library: Library;

/** Deterministic made-up words without digits, so that sections neither fold nor share much. */
function words(seed: number, count: number): string {
  let x = (seed * 2654435761) >>> 0;
  return Array.from({ length: count }, () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6b43a9b5) >>> 0;
    return `q${(x % 9000).toString(36)}`.replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
  }).join(' ');
}

function section(i: number): string {
  // On their words alone, passages naming the identifier rank just below the others' best: only
  // the identifier bonus lifts them to the top, past passages ranked ahead of them before.
  const body = i % 3 === 0
    ? `Set session_timeout to the number of seconds. ${words(i, 40)}.`
    : `${words(i, 40)}. ${'The session ends after a timeout. '.repeat(1 + (i % 4))}`;
  return `## Setting ${words(1000 + i, 2)}\n\n${body}\n`;
}

before(async () => {
  const sources = path.join(root, 'sources');
  for (const version of ['1.0', '2.0']) {
    const sections = Array.from({ length: 36 }, (_, i) => section(version === '1.0' ? i : i + 100));
    const file = path.join(sources, 'acme', 'gateway', version, 'admin-guide.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `# Gateway Administration Guide\n\n${sections.join('\n')}`);
  }
  library = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {}), 'write');
  const results = await library.add(library.plan([sources]));
  assert.ok(results.every((r) => r.status === 'added'), JSON.stringify(results.map((r) => r.error)));
});
after(async () => {
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const key = (h: SearchHit) => `${h.chunkId} ${h.score}`;

for (const versions of [undefined, 'all'] as const) {
  test(`pages of one hit each are the long list, place by place (${versions ?? 'newest'} versions)`, async () => {
    const query = 'session_timeout session timeout';
    const whole = await library.search({ query, limit: 50, includeWeak: true, ...(versions ? { versions } : {}) });
    assert.ok(whole.hits.length >= 20, `${whole.hits.length} hits`);
    const exact = whole.hits.filter((h) => h.snippet.text.includes('session_timeout'));
    assert.ok(exact.length > 0 && exact.length < whole.hits.length, 'both kinds of passage are found');
    for (let offset = 0; offset < whole.hits.length; offset++) {
      const page = await library.search({ query, limit: 1, offset, includeWeak: true, ...(versions ? { versions } : {}) });
      assert.equal(page.hits.length, 1);
      assert.equal(key(page.hits[0]!), key(whole.hits[offset]!), `place ${offset + 1}`);
      assert.equal(page.hits[0]!.rank, offset + 1);
      assert.equal(page.nextOffset, offset + 1 < whole.hits.length || whole.nextOffset !== undefined ? offset + 1 : undefined);
    }
  });
}
