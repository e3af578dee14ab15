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
 * The reader's UI in a real Chromium: keyboard-first results (j/k/↓/↑, Enter, o, c, ?, Esc), copying
 * a citation, a phone's first screen, the library folded and filtered, the sticky header in "View in
 * doc context", a PDF page image with the chunk boxed, FRR's one-page BGP manual read by section,
 * and NetBox's MkDocs site in its reading order. Screenshots land in test-artifacts/screenshots/.
 */
const SCREENSHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
const BGP = 'frr::8.4.4::8.4.4::bgp';
const ASAV = 'asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915';
const INTRODUCTION = 'netbox::4.4::docs::introduction';

let fixture: Fixture;
let server: RunningServer;
let browser: Browser;

before(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  fixture = await buildFixture({
    sources: [
      'pdf/cisco/asav-autoscale-azure/9.15',
      'pdf/cisco/asav-autoscale-azure/9.19',
      { path: 'markdown/frrouting-user-manual-html/8.4.4', labels: { vendor: 'FRRouting', product: 'frr', version: '8.4.4' } },
      { path: 'markdown/netbox-docs/docs', labels: { vendor: 'NetBox', product: 'netbox', version: '4.4' } },
    ],
  });
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
  page.setDefaultTimeout(15_000);
  return page;
}

const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });

/** The element's box, which must be rendered. */
async function box(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await page.locator(selector).first().boundingBox();
  assert.ok(found, `${selector} is rendered`);
  return found;
}

async function withinViewport(page: Page, selector: string): Promise<boolean> {
  const { y, height } = await box(page, selector);
  return y >= 0 && y + height <= page.viewportSize()!.height;
}

const activeElement = (page: Page) => page.evaluate(() => {
  const active = document.activeElement;
  return { id: active?.id ?? '', href: active?.getAttribute('href') ?? '', hit: active?.closest('.hit') ? [...document.querySelectorAll('.hits > .hit')].indexOf(active.closest('.hit')!) : -1 };
});
const selectedHit = (page: Page) => page.evaluate(() => [...document.querySelectorAll('.hits > .hit')].findIndex((hit) => hit.classList.contains('selected')));

describe('search results, keyboard first', () => {
  test('j/k and the arrows move through results, Enter and o open them, c copies the citation, ? shows help, Esc returns to the box', async () => {
    const page = await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(`${server.url}/search?q=route+selection&product=frr`);
    const hits = await page.locator('.hits > .hit').count();
    assert.ok(hits >= 3, `${hits} results`);

    await page.keyboard.press('j');
    assert.equal(await selectedHit(page), 0);
    assert.equal((await activeElement(page)).hit, 0, 'the first result\'s link has the focus');
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    assert.equal(await selectedHit(page), 2);
    await page.keyboard.press('k');
    assert.equal(await selectedHit(page), 1);
    await page.keyboard.press('ArrowUp');
    assert.equal(await selectedHit(page), 0);
    await page.keyboard.press('k');
    assert.equal(await selectedHit(page), 0, 'stays on the first');
    const outline = await page.evaluate(() => getComputedStyle(document.querySelector('.hit.selected')!).borderLeftColor);
    assert.notEqual(outline, 'rgba(0, 0, 0, 0)', 'the selected result is marked');
    await page.keyboard.press('j');
    await screenshot(page, 'reader-results-keyboard');

    // c: the selected result's citation and its chunk page's full URL.
    await page.keyboard.press('c');
    const chunkHref = await page.locator('.hit.selected h2 a').getAttribute('href');
    const citation = await page.locator('.hit.selected button.copy-citation').getAttribute('data-citation');
    assert.match(citation!, /^BGP, frr 8\.4\.4, section "BGP › .+"$/);
    await page.waitForFunction(() => document.getElementById('live-status')!.textContent!.startsWith('Citation copied'));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${citation} ${server.url}${chunkHref}`);

    // Enter opens the chunk page, o the document at the chunk.
    await Promise.all([page.waitForURL(/\/chunk\//), page.keyboard.press('Enter')]);
    assert.equal(new URL(page.url()).pathname, decodeURIComponent(chunkHref!));
    await page.goBack();
    await page.keyboard.press('j');
    await Promise.all([page.waitForURL(/\/doc\/.*chunk=/), page.keyboard.press('o')]);
    assert.equal(await page.locator('section.chunk.highlighted').count(), 1);
    await page.goBack();

    // ? opens the help; Esc closes it, and then takes the focus back to the search box.
    await page.locator('h1').click();
    await page.keyboard.press('?');
    assert.equal(await page.locator('#shortcut-help').evaluate((d: HTMLDialogElement) => d.open), true);
    assert.match((await page.locator('#shortcut-help').textContent())!, /j or ↓\s*Next result/);
    await screenshot(page, 'reader-shortcut-help');
    await page.keyboard.press('?');
    assert.equal(await page.locator('#shortcut-help').evaluate((d: HTMLDialogElement) => d.open), false, '? hides it again');
    await page.keyboard.press('?');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator('#shortcut-help').evaluate((d: HTMLDialogElement) => d.open), false);
    await page.keyboard.press('j');
    await page.keyboard.press('Escape');
    assert.equal((await activeElement(page)).id, 'q');
    // From the box, ↓ goes to the first result.
    await page.keyboard.press('ArrowDown');
    assert.equal(await selectedHit(page), 0);
    await page.context().close();
  });

  test('"Copy citation" copies in one click on a PDF chunk page: page, printed page, document, product, version and URL', async () => {
    const page = await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    const chunkId = `${ASAV}::21`;
    await page.goto(`${server.url}/chunk/${chunkId}`);
    await page.getByRole('button', { name: 'Copy citation' }).click();
    await page.waitForFunction(() => document.getElementById('live-status')!.classList.contains('shown'));
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, new RegExp(`^Deploy the ASAv Auto Scale Solution on Microsoft Azure, \\S+ 9\\.15, page \\S+( \\(PDF page 8\\))? ${server.url}/chunk/${chunkId}$`));
    assert.ok(await page.locator('#live-status').isVisible());
    await page.context().close();
  });

  test('without JavaScript there is no dead copy button, and the chunk page shows the citation as text', async () => {
    const page = await openPage({ javaScriptEnabled: false });
    await page.goto(`${server.url}/chunk/${ASAV}::21`);
    assert.equal(await page.getByRole('button', { name: 'Copy citation' }).count(), 0, 'hidden without the script');
    assert.match((await page.locator('.facts .citation').textContent())!, / 9\.15, page \S+/);
    await page.context().close();
  });
});

describe('phone', () => {
  test('on a 390×844 screen the first screen shows a result: compact header, filters folded', async () => {
    const page = await openPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await page.goto(`${server.url}/search?q=asaAdminUserPassword&all=1`);
    assert.equal(await page.locator('details.filter-panel').evaluate((d: HTMLDetailsElement) => d.open), false, 'filters folded');
    assert.equal(await page.locator('.tagline').isVisible(), false, 'compact header');
    const first = await box(page, '.hits > .hit h2');
    const snippet = await box(page, '.hits > .hit .snippet');
    assert.ok(first.y + first.height <= 844 && snippet.y < 844, `the first result starts on the first screen (title ends at ${Math.round(first.y + first.height)} px)`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`);
    await screenshot(page, 'reader-search-phone');
    await page.context().close();

    // Without the script the filters stay open, and the first result still starts on the first screen.
    const plain = await openPage({ viewport: { width: 390, height: 844 }, isMobile: true, javaScriptEnabled: false });
    await plain.goto(`${server.url}/search?q=asaAdminUserPassword&all=1`);
    const plainFirst = await box(plain, '.hits > .hit h2');
    assert.ok(plainFirst.y + plainFirst.height <= 844, `without JavaScript the first result's title ends at ${Math.round(plainFirst.y + plainFirst.height)} px`);
    await plain.context().close();
  });
});

describe('library', () => {
  test('folded by vendor and product, it fits a screen or two; the filter narrows it as you type and opens what matches', async () => {
    const page = await openPage();
    await page.goto(`${server.url}/library`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 1400, `the whole library page is ${height} px tall`);
    assert.equal(await page.locator('details.product[open]').count(), 0);
    await screenshot(page, 'reader-library-folded');

    await page.locator('#library-filter').fill('dcim device');
    const visible = await page.locator('.library-tree [data-filter]:visible').allTextContents();
    assert.ok(visible.length > 0 && visible.length < 30, `${visible.length} matching documents`);
    const expected = fixture.library.documents({ product: 'netbox' }).filter((d) => /dcim/.test(d.sourcePath) && /device/i.test(`${d.title} ${d.sourcePath}`)).length;
    assert.equal(visible.length, expected, 'the same documents as the server\'s filter would keep');
    assert.equal(await page.locator('details.product#product-netbox').evaluate((d: HTMLDetailsElement) => d.open), true, 'the matching product opens');
    assert.equal(await page.locator('details.vendor#vendor-frrouting').isVisible(), false, 'vendors without a match are hidden');
    assert.match((await page.locator('.filter-status').textContent())!, new RegExp(`^${expected} of \\d+ documents match\\.$`));
    await screenshot(page, 'reader-library-filtered');
    await page.locator('#library-filter').fill('');
    assert.equal(await page.locator('details.vendor#vendor-frrouting').isVisible(), true);
    await page.context().close();
  });

  test('without JavaScript the filter is a GET form; on a phone the folded library still fits', async () => {
    const page = await openPage({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(`${server.url}/library`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height < 2000, `the phone library page is ${height} px tall`);
    await page.locator('#library-filter').fill('bgp');
    await Promise.all([page.waitForURL(/\/library\?filter=bgp/), page.locator('#library-filter').press('Enter')]);
    const links = await page.locator('.library-tree a[href^="/doc/"]').count();
    assert.ok(links > 0 && links < 10, `${links} documents match`);
    assert.ok(await page.getByRole('link', { name: 'BGP', exact: true }).isVisible(), 'matches are unfolded');
    await page.context().close();
  });
});

describe('document viewer', () => {
  test('"View in doc context": the header with title, version and page stays on screen; the PDF page image shows the chunk boxed', async () => {
    const page = await openPage();
    await page.goto(`${server.url}/search?q=asaAdminUserPassword&version=9.15`);
    await Promise.all([page.waitForURL(/\/doc\//), page.locator('.hit').first().getByRole('link', { name: '↗ View in doc context' }).click()]);
    assert.ok(await withinViewport(page, 'section.chunk.highlighted h1, section.chunk.highlighted p, section.chunk.highlighted table'), 'the chunk is in view');
    for (const selector of ['.doc-header h1', '.doc-header h2', '.doc-header .breadcrumb']) assert.ok(await withinViewport(page, selector), `${selector} visible at the chunk`);
    const header = await box(page, '.doc-header');
    const chunk = await box(page, 'section.chunk.highlighted');
    assert.ok(chunk.y >= header.y + header.height - 1, 'the chunk is not hidden under the header');

    // The page image and its overlay load, and the overlay covers the image exactly.
    await page.waitForFunction(() => {
      const scan = document.querySelector<HTMLImageElement>('img.page-scan');
      const overlay = document.querySelector<HTMLImageElement>('img.page-highlight');
      return scan?.complete && scan.naturalWidth > 0 && overlay?.complete;
    });
    const scan = await box(page, 'img.page-scan');
    const overlay = await box(page, 'img.page-highlight');
    for (const key of ['x', 'y', 'width', 'height'] as const) assert.ok(Math.abs(scan[key] - overlay[key]) <= 1, `overlay ${key} ${overlay[key]} vs ${scan[key]}`);
    assert.ok(scan.width > 300, `the page image is ${Math.round(scan.width)} px wide`);
    const overlaySvg = await (await fetch(`${server.url}${(await page.locator('img.page-highlight').getAttribute('src'))!.replace(/&amp;/g, '&')}`)).text();
    const rects = overlaySvg.match(/<rect/g)?.length ?? 0;
    assert.ok(rects > 0, 'the chunk is boxed on the page');
    await screenshot(page, 'reader-pdf-context');

    await page.mouse.wheel(0, 2500);
    await page.waitForTimeout(300);
    for (const selector of ['.doc-header h1', '.doc-header h2', '.doc-header .breadcrumb']) assert.ok(await withinViewport(page, selector), `${selector} stays visible after scrolling`);
    assert.match((await page.locator('.doc-header h2').textContent())!, /^Page 8 of 28/);
    assert.match((await page.locator('.doc-header .breadcrumb').textContent())!, /asav-autoscale-azure \/ 9\.15/);
    await screenshot(page, 'reader-pdf-scrolled');
    await page.context().close();
  });

  test('FRR\'s one-page BGP manual: outline links jump to section anchors, previous/next section moves by window', async () => {
    const page = await openPage();
    await page.goto(`${server.url}/doc/${BGP}`);
    const view = fixture.library.sections(BGP);
    assert.match((await page.locator('.doc-header h2').textContent())!, new RegExp(`^Section: ${view.window.title} part 1 of ${view.windowCount}`));

    // A heading in this window: the fragment only, no reload, the heading just below the header.
    const near = view.sections.find((s) => s.window === 0 && s.level === 2)!;
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
    await page.locator(`.outline a[href="#${near.anchor}"]`).click();
    await page.waitForFunction((id) => location.hash === `#${id}`, near.anchor);
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 1, 'no reload');
    const headerBottom = (await box(page, '.doc-header')).y + (await box(page, '.doc-header')).height;
    const heading = await box(page, `#${near.anchor}`);
    assert.ok(heading.y >= headerBottom - 1 && heading.y < 400, `heading at ${Math.round(heading.y)} px, header ends at ${Math.round(headerBottom)} px`);

    // A heading in another window: that window opens, scrolled to it.
    const far = view.sections.find((s) => s.anchor === 'h-route-selection-2')!;
    await Promise.all([page.waitForURL(new RegExp(`section=${far.anchor}#${far.anchor}$`)), page.locator(`.outline a[href$="#${far.anchor}"]`).click()]);
    const farBox = await box(page, `#${far.anchor}`);
    const farHeader = await box(page, '.doc-header');
    assert.ok(farBox.y >= farHeader.y + farHeader.height - 1 && farBox.y < 450, `jumped to the heading (${Math.round(farBox.y)} px)`);
    assert.match((await page.locator('.doc-header h2').textContent())!, new RegExp(`part ${far.window + 1} of`));
    await screenshot(page, 'reader-frr-section');

    // Next section: the following window.
    const next = fixture.library.sections(BGP, { section: far.anchor }).next!;
    await Promise.all([page.waitForURL(/section=|part=/), page.locator('.doc-header nav.section-nav a[rel="next"]').click()]);
    assert.match((await page.locator('.doc-header h2').textContent())!, new RegExp(`^Section: .*part ${next.index + 1} of`));
    await Promise.all([page.waitForURL(/section=|part=/), page.locator('.doc-header nav.section-nav a[rel="prev"]').click()]);
    assert.match((await page.locator('.doc-header h2').textContent())!, new RegExp(`part ${far.window + 1} of`));
    await page.context().close();
  });

  test('NetBox\'s MkDocs site: the sidebar tree follows the nav, and previous/next document walk it', async () => {
    const page = await openPage();
    await page.goto(`${server.url}/doc/${INTRODUCTION}`);
    const order = fixture.library.readingOrder(INTRODUCTION)!;
    const treeLinks = await page.locator('.reading-order a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    assert.deepEqual(treeLinks, order.documents.map((d) => `/doc/${d.docId}`), 'the tree lists the site in nav order');
    assert.deepEqual(order.documents.slice(0, 3).map((d) => d.title), ['The Premier Network Source of Truth', 'Introduction to NetBox', 'Facilities']);
    assert.equal(await page.locator('.reading-order li.here a').getAttribute('aria-current'), 'page');
    assert.equal(await page.locator('.reading-order .tree-section > details[open]').count(), 0, 'the home page and the introduction sit above every section, which stay folded');
    await screenshot(page, 'reader-netbox');

    await Promise.all([page.waitForURL(/features-facilities/), page.locator('.doc-header .doc-nav a[rel="next"]').click()]);
    assert.equal(await page.locator('.doc-header h1').textContent(), order.next!.title);
    assert.match((await page.locator('.doc-header .breadcrumb').textContent())!, /NetBox \/ netbox \/ 4\.4 › Features/);
    assert.equal(await page.locator('.reading-order .tree-section > details[open]:has(li.here) > summary').textContent(), 'Features', 'the current section is unfolded');
    await Promise.all([page.waitForURL(new RegExp(INTRODUCTION)), page.locator('.doc-header .doc-nav a[rel="prev"]').click()]);
    assert.equal(await page.locator('.doc-header h1').textContent(), 'Introduction to NetBox');
    await page.context().close();
  });
});
