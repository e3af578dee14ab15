import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import type { RunningServer } from '../../src/server/serve.js';
import { startTestServer } from '../support/server.js';
import { LIBRARY_PAGE_DOCUMENTS, OVERVIEW_VERSION_DOCUMENTS } from '../../src/web/pages/library-page.js';

/**
 * The library page of a library too large to list on one page, in a real Chromium: each version
 * shows a few documents and links to all of them, the filter as you type says it narrows only what
 * is listed, Enter filters the whole library, and a long result is paged.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-library-browser-'));
const PER_VERSION = 230;
let library: Library;
let server: RunningServer;
let browser: Browser;

before(async () => {
  const sources = path.join(root, 'sources');
  for (const version of ['1.0', '2.0']) {
    for (let i = 0; i < PER_VERSION; i++) {
      const file = path.join(sources, 'acme', 'router', version, `topic-${String(i).padStart(3, '0')}.md`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const topic = i % 10 === 7 ? 'tunnel' : 'routing';
      fs.writeFileSync(file, `# Router ${topic} topic ${i}\n\nHow the router handles ${topic} case ${i} in release ${version}.\n`);
    }
  }
  const config = loadConfig({ data: path.join(root, 'data'), embedder: 'none', port: 0 }, {});
  library = await Library.open(config, 'write');
  const results = await library.add(library.plan([sources]));
  assert.ok(results.every((r) => r.status === 'added'));
  server = await startTestServer({ config, library });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await library?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a large library lists a few documents per version, says the filter as you type sees only those, and pages the whole', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${server.url}/library`);
  assert.equal(await page.locator('.library-tree a[href^="/doc/"]').count(), 2 * OVERVIEW_VERSION_DOCUMENTS);
  assert.equal(await page.locator('a[href="/library?product=router&version=2.0"]').textContent(), `All ${PER_VERSION} documents of router 2.0`);

  await page.locator('#library-filter').fill('tunnel');
  assert.match((await page.locator('.filter-status').textContent())!, /^\d+ of 20 documents listed here match\. Press Enter to filter the whole library\.$/);
  await Promise.all([page.waitForURL(/\/library\?filter=tunnel/), page.locator('#library-filter').press('Enter')]);
  // The whole library's 46 tunnel topics, on one page.
  assert.equal(await page.locator('.library-tree a[href^="/doc/"]').count(), 2 * (PER_VERSION / 10));

  await page.goto(`${server.url}/library?filter=router`);
  assert.equal(await page.locator('.library-tree a[href^="/doc/"]').count(), LIBRARY_PAGE_DOCUMENTS);
  await Promise.all([page.waitForURL(/page=2/), page.getByRole('link', { name: 'Next page' }).first().click()]);
  assert.equal(await page.locator('.library-tree a[href^="/doc/"]').count(), 2 * PER_VERSION - LIBRARY_PAGE_DOCUMENTS);
  assert.match((await page.locator('.filter-status').textContent())!, /Documents 401–460 are listed on this page\./);
  await page.context().close();
});
