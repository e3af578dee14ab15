import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { isContentsListing } from '../../src/search/contents-listing.js';
import { DEFAULT_TUNING, SearchEngine } from '../../src/search/search-engine.js';
import { LocalIndexes } from '../../src/search/indexes/local-indexes.js';
import { Library } from '../../src/service/library.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/**
 * A table of contents names the section titles a question shares words with and answers none of
 * them: it is recognised from its leader lines and ranks below the passages it points to.
 */
test('contents pages are recognised by their leader lines, passages that cite a page are not', () => {
  // As the PDF converter writes a release notes' first page (leaders collapsed to " ... ").
  const releaseNotes = [
    '# Gateway Release Notes', 'Revision Date: June 19, 2019',
    'Review important information about open issues and workarounds.',
    'What’s New ... 3', 'Version 2.2 ... 3', 'Addressed Issues ... 7', 'Known Issues ... 9', 'Getting Help ... 11',
  ].join('\n\n');
  assert.equal(isContentsListing(releaseNotes), true);
  // Entries in a table, front-matter page numbers, appendix pages.
  assert.equal(isContentsListing('# Table of Contents\n\n| 8.1 | Option 1: Launch ... 12 |\n| --- | --- |\n| 8.2 | Option 2: Tag ... 16 |\n\nPreface ... iii\n\nLimits ... A-3'), true);
  // A passage pointing to a page or two stays a passage.
  assert.equal(isContentsListing('Set the timeout before you deploy. See Limits ... 5 and Known Issues ... 9 for what is not supported.\n\nThe gateway restarts.'), false);
  assert.equal(isContentsListing('Known Issues ... 9\n\nLimits ... 5\n\nThe gateway restarts after the timeout.\n\nIt keeps its sessions.\n\nIt logs the restart.\n\nIt sends an alert.'), false);
  // Ellipses in prose are no leaders.
  assert.equal(isContentsListing('Wait ... then retry.\n\nOr ... not.\n\nAnd ... again.'), false);
  assert.equal(isContentsListing(''), false);
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-contents-'));
const data = path.join(root, 'data');
let library: Library;

before(async () => {
  const file = path.join(root, 'sources', 'acme', 'gateway', '2.2', 'release-notes.md');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, [
    '# Gateway Release Notes',
    '## Contents',
    'What’s New ... 3', 'Version 2.2 ... 3', 'Version 2.1 ... 3', 'Addressed Issues ... 7', 'Known Issues ... 9', 'Getting Help ... 11',
    '## Addressed issues',
    'The following issues are addressed in gateway version 2.2. GW-1159: Fixed an issue that made the gateway drop its sessions on failover.',
    '## Known issues',
    'Known issues of gateway version 2.2: GW-1201, a known issue where the gateway logs twice.',
    '## Getting help',
    'Open a support case from the portal.',
  ].join('\n\n'));
  library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
  assert.ok((await library.add(library.plan([path.join(root, 'sources')]))).every((r) => r.status === 'added'));
});
after(async () => {
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const QUERY = 'what got fixed in version 2.2 of the gateway';

test('a contents page ranks below the passage it points to, and is still found', async () => {
  const { hits } = await library.search({ query: QUERY, mode: 'lexical', limit: 5, includeWeak: true });
  const headings = hits.map((h) => h.headingPath.at(-1));
  assert.equal(headings[0], 'Addressed issues');
  assert.ok(headings.includes('Contents'), `the contents page is still a hit: ${JSON.stringify(headings)}`);
});

/** The passages' headings in rank order, from an engine weighing contents pages by `contentsWeight`. */
async function rankWith(query: string, contentsWeight: number): Promise<(string | undefined)[]> {
  const store = new SqliteStore(path.join(data, 'index.sqlite'));
  const indexes = new LocalIndexes(store);
  try {
    const engine = new SearchEngine(store, () => indexes.current(), null, { ...DEFAULT_TUNING, contentsWeight });
    const plan = engine.plan(query, { mode: 'lexical', shown: 5 });
    const collected = engine.collect(plan, await engine.retrieve(plan), true);
    return collected.passages.map((p) => p.primary.chunk.headingPath.at(-1));
  } finally {
    indexes.close();
    store.close();
  }
}

test('without the contents weight the contents page would lead (the test ranks what it claims to)', async () => {
  assert.equal((await rankWith(QUERY, 1))[0], 'Contents');
  assert.equal((await rankWith(QUERY, DEFAULT_TUNING.contentsWeight))[0], 'Addressed issues');
});

test('a contents line asked word for word finds its contents page first, whatever the contents weight', async () => {
  const { hits } = await library.search({ query: 'Known Issues ... 9', mode: 'lexical', limit: 5, includeWeak: true });
  assert.equal(hits[0]?.headingPath.at(-1), 'Contents');
  assert.equal((await rankWith('Known Issues ... 9', 0.01))[0], 'Contents');
  assert.equal((await rankWith('known issues of the gateway', 0.01)).at(-1), 'Contents', 'not asked word for word: last');
});
