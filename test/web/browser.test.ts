import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import type { RunningServer } from '../../src/server/serve.js';
import { REPO_ROOT } from '../support/corpus.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';

/**
 * The web UI in a real Chromium, with and without JavaScript: search, open a hit's chunk page,
 * open it in the document viewer with the chunk highlighted and in view, narrow by version.
 * Screenshots land in test-artifacts/screenshots/ for people to look at.
 */
const SCREENSHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
/** A template parameter documented in both ASAv Azure guides of the fixture. */
const QUERY = 'asaAdminUserPassword';

let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

before(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  fixture = await buildFixture();
  server = await startTestServer(fixture);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await fixture?.cleanup();
});

async function openPage(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return page;
}

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });

/** True when the element's top edge is inside the visible part of the page. */
async function topIsInViewport(page: Page, selector: string): Promise<boolean> {
  const box = await page.locator(selector).boundingBox();
  const viewport = page.viewportSize();
  assert.ok(box && viewport, `${selector} is rendered`);
  return box.y >= 0 && box.y < viewport.height && box.y + box.height > 0;
}

/** From a results page: chunk page of the first hit, then its page in the document viewer. */
async function followFirstHit(page: Page, shots: { chunk?: string; document?: string } = {}): Promise<void> {
  const firstHit = page.locator('.hit').first();
  const chunkId = (await firstHit.locator('.meta code').nth(1).textContent())!;
  await Promise.all([page.waitForURL(/\/chunk\//), firstHit.getByRole('link', { name: 'Chunk page' }).click()]);
  const { chunk } = fixture.library.chunk(chunkId);
  assert.equal(await page.locator('h1').textContent(), `Page ${chunk.page}`);
  assert.equal(await page.locator('.facts tr', { hasText: 'chunk_id' }).locator('td').textContent(), chunkId);
  if (shots.chunk) await screenshot(page, shots.chunk);

  await Promise.all([page.waitForURL(/\/doc\//), page.getByRole('link', { name: '↗ View in doc context' }).click()]);
  assert.match((await page.locator('.doc-header h2').textContent())!, new RegExp(`^Page ${chunk.page}\\b`));
  const highlighted = page.locator('section.chunk.highlighted');
  assert.equal(await highlighted.count(), 1);
  assert.equal(await highlighted.getAttribute('id'), chunkId);
  assert.equal(await highlighted.getAttribute('aria-current'), 'true');
  assert.ok(await topIsInViewport(page, 'section.chunk.highlighted'), 'the highlighted chunk is scrolled into view');
  if (shots.document) await screenshot(page, shots.document);
}

/** Picks a version in the filter, submits, and checks every hit is from that version. */
async function filterByVersion(page: Page, product: string, version: string, withScript: boolean): Promise<void> {
  await page.selectOption('#filter-version', { value: version });
  if (withScript) assert.equal(await page.locator('#filter-product').inputValue(), product, 'the script picks the product too');
  await Promise.all([page.waitForURL(new RegExp(`version=${version.replace(/\./g, '\\.')}`)), page.locator('.search-form button[type="submit"]').click()]);
  const metas = await page.locator('.hit > .meta:first-of-type').allTextContents();
  assert.ok(metas.length > 0, 'the filtered search finds something');
  for (const meta of metas) assert.ok(meta.includes(`/ ${product} / ${version} ·`), meta);
}

describe('with JavaScript', () => {
  test('/ focuses the search box; search, chunk page and document viewer; version filter', async () => {
    const page = await openPage();
    await page.goto(`${server.url}/`);
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');

    await page.keyboard.type(QUERY);
    await Promise.all([page.waitForURL(/\/search\?q=/), page.keyboard.press('Enter')]);
    assert.ok((await page.locator('.hit').count()) > 0);
    assert.match((await page.locator('.hit mark').first().textContent())!, new RegExp(QUERY, 'i'));
    await screenshot(page, 'search');

    await followFirstHit(page, { chunk: 'chunk', document: 'document' });

    await page.goto(`${server.url}/search?q=lambda+function`);
    await filterByVersion(page, 'ftdv-autoscale-aws', '6.6.0', true);
    await page.context().close();
  });

  test('the search page fits a phone screen', async () => {
    const page = await openPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/search?q=${QUERY}&all=1`);
    assert.ok((await page.locator('.hit').count()) > 0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    await screenshot(page, 'search-phone');
    await page.goto(`${server.url}/doc/${encodeURIComponent('asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915')}?page=8`);
    const docOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(docOverflow <= 0, `the viewer does not scroll sideways (overflow ${docOverflow}px)`);
    await screenshot(page, 'document-phone');
    await page.context().close();
  });
});

describe('without JavaScript', () => {
  test('search, chunk page, document viewer at the highlighted chunk, and filters all work', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await page.goto(`${server.url}/`);
    await page.locator('#q').fill(QUERY);
    await Promise.all([page.waitForURL(/\/search\?q=/), page.locator('#q').press('Enter')]);
    assert.ok((await page.locator('.hit mark').count()) > 0);

    await followFirstHit(page);

    await page.goto(`${server.url}/search?q=lambda+function`);
    await filterByVersion(page, 'ftdv-autoscale-aws', '6.7.0', false);
    await page.context().close();
  });
});
