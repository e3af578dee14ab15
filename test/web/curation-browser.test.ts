import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium } from '../support/browser.js';
import type { RunningServer } from '../../src/server/serve.js';
import { REPO_ROOT } from '../support/corpus.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';
import { FRR } from '../ingest/sources/web/support/crawl-helpers.js';
import { serveFolder, startTestSite, type TestSite } from '../ingest/sources/web/support/test-site.js';

/**
 * Curating in a real Chromium: logging in (an HttpOnly, SameSite=Strict cookie), a forged form
 * without the CSRF token refused, adding a site and an upload from the add-documents page, live
 * progress over server-sent events with JavaScript and a self-refreshing status page without,
 * cancel, remove with confirmation, re-label, and logging out.
 */
const SCREENSHOTS = path.join(REPO_ROOT, 'test-artifacts', 'screenshots');
const TOKEN = 'curation-browser-token-0123456789';

let fixture: Fixture;
let server: RunningServer;
let site: TestSite;
let browser: Browser;

before(async () => {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  fixture = await buildFixture({ sources: ['pdf/paloalto/vm-series-azure-autoscaling/1.1'] });
  server = await startTestServer(fixture, { token: TOKEN });
  const slow = serveFolder('/slow/', FRR);
  site = await startTestSite([serveFolder('/frr/', FRR), { path: '/slow/*', handler: (req, res, url) => void setTimeout(() => slow.handler(req, res, url), 200) }]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await site?.close();
  await fixture?.cleanup();
});

async function loggedIn(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${server.url}/curate`);
  assert.match(page.url(), /\/login\?next=%2Fcurate$/, 'curation asks to log in first');
  await page.locator('#token').fill(TOKEN);
  await Promise.all([page.waitForURL(`${server.url}/curate`), page.getByRole('button', { name: 'Log in' }).click()]);
  return { context, page };
}

const jobCount = () => fixture.library.jobTable().list({ limit: 500 }).length;

describe('logging in', () => {
  test('a wrong token is refused; the right one sets an HttpOnly, SameSite=Strict session cookie that holds no token', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.locator('#token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Log in' }).click();
    assert.match(await page.locator('.notice.error').textContent() ?? '', /not the token/);
    assert.deepEqual(await context.cookies(), []);
    await page.locator('#token').fill(TOKEN);
    await Promise.all([page.waitForURL(`${server.url}/curate`), page.getByRole('button', { name: 'Log in' }).click()]);
    const [cookie] = await context.cookies();
    assert.equal(cookie?.name, 'mcdewey_session');
    assert.equal(cookie?.httpOnly, true);
    assert.equal(cookie?.sameSite, 'Strict');
    assert.ok(!cookie?.value.includes(TOKEN), 'the cookie does not carry the token');
    assert.ok(!page.url().includes(TOKEN), 'the token never appears in a URL');
    await context.close();
  });

  test('a forged form post without the CSRF token (or with another session\'s) is refused and starts nothing', async () => {
    const { context, page } = await loggedIn();
    const csrf = await page.locator('form[action="/curate/web"] input[name="csrf"]').inputValue();
    const before = jobCount();
    const form = { url: site.url('/frr/'), mode: 'site', vendor: 'FRRouting', product: 'frr', version: 'forged', allow_private: 'on' };
    const forged = await context.request.post(`${server.url}/curate/web`, { form, maxRedirects: 0 });
    assert.equal(forged.status(), 401);
    assert.match(await forged.text(), /did not come from a page of this server/);
    const other = await loggedIn();
    const stolen = await other.context.request.post(`${server.url}/curate/web`, { form: { ...form, csrf }, maxRedirects: 0 });
    assert.equal(stolen.status(), 401, 'a CSRF token is bound to its own session');
    const remove = await context.request.post(`${server.url}/curate/remove`, { form: { product: 'vm-series-azure-autoscaling' }, maxRedirects: 0 });
    assert.equal(remove.status(), 401);
    assert.equal(jobCount(), before, 'no job was started');
    assert.equal(fixture.library.documents({ product: 'vm-series-azure-autoscaling' }).length, 1, 'nothing was removed');
    const scripted = await fetch(`${server.url}/curate/refresh`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'product=vm-series-azure-autoscaling', redirect: 'manual' });
    assert.equal(scripted.status, 303, 'the bearer token needs no CSRF token, as on the API');
    await other.context.close();
    await context.close();
  });
});

describe('adding documents', () => {
  test('a site from the add page: the job page follows it live over server-sent events, without reloading', async () => {
    const { context, page } = await loggedIn();
    assert.ok(await page.locator('datalist#known-vendors option[value="Palo Alto"]').count() <= 1);
    await page.locator('#web-url').fill(site.url('/slow/'));
    await page.locator('#web-vendor').fill('FRRouting');
    await page.locator('#web-product').fill('frr');
    await page.locator('#web-version').fill('live');
    await page.locator('summary', { hasText: 'Scope and safety' }).click();
    await page.locator('textarea[name="include"]').fill('/slow/\n/slow/{bgp,zebra,ospfd,bfd,pbr,ripd}.html');
    await page.locator('input[name="allow_private"]').check();
    await Promise.all([page.waitForURL(/\/jobs\/[a-z0-9]+$/), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    await page.screenshot({ path: path.join(SCREENSHOTS, 'job-running.png') });
    await page.locator('[data-job-events][data-status="done"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'updated in place, not by reloading');
    assert.equal(await page.locator('[data-field="items"]').first().textContent(), '7 of 7');
    assert.equal(await page.locator('[data-job-items] tbody tr').count(), 7, 'one row per page, added as they finished');
    assert.match(await page.locator('[data-field="summary"]').textContent() ?? '', /7 added/);
    assert.equal(await page.locator('form.cancel-job').count(), 0, 'no cancel button once it has ended');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'job-done.png') });
    assert.equal(fixture.library.documents({ product: 'frr', version: 'live' }).length, 7);
    await context.close();
  });

  test('without JavaScript the job page refreshes itself until the job ends; missing labels come back suggested from the URL', async () => {
    const { context, page } = await loggedIn({ javaScriptEnabled: false });
    await page.locator('#web-url').fill(site.url('/frr/bgp.html'));
    await page.locator('input[name="mode"][value="document"]').check();
    await page.locator('#web-vendor').fill('FRRouting');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    assert.match(await page.locator('.notice.error').textContent() ?? '', /needs --product, --version/);
    assert.equal(await page.locator('#web-url').inputValue(), site.url('/frr/bgp.html'), 'the form keeps what was typed');
    assert.equal(await page.locator('#web-product').inputValue(), 'frr', 'the product is suggested from the URL');
    await page.locator('#web-version').fill('static');
    await page.locator('input[name="allow_private"]').check();
    await Promise.all([page.waitForURL(/\/jobs\/[a-z0-9]+$/), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    await page.locator('.job-panel[data-status="done"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('[data-job-items] tbody tr').count(), 1);
    assert.equal(fixture.library.document('frr::static::bgp::bgp').title, 'BGP');
    await context.close();
  });

  test('uploading several files from the add page', async () => {
    const { context, page } = await loggedIn();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-upload-'));
    const files = ['alpha', 'beta'].map((name) => {
      const file = path.join(folder, `${name}.md`);
      fs.writeFileSync(file, `# ${name}\n\nThe ${name} gadget restarts after a firmware update.\n`);
      return file;
    });
    await page.locator('#upload-files').setInputFiles(files);
    await page.locator('#upload-vendor').fill('Acme');
    await page.locator('#upload-product').fill('gadget');
    await page.locator('#upload-version').fill('1.0');
    await Promise.all([page.waitForURL(/\/jobs\/[a-z0-9]+$/), page.getByRole('button', { name: 'Upload and add' }).click()]);
    await page.locator('[data-job-events][data-status="done"]').waitFor({ timeout: 60_000 });
    assert.deepEqual(fixture.library.documents({ product: 'gadget' }).map((d) => d.docId).sort(), ['gadget::1.0::alpha::alpha', 'gadget::1.0::beta::beta']);
    fs.rmSync(folder, { recursive: true, force: true });
    await context.close();
  });
});

describe('managing the library', () => {
  test('cancel stops a running crawl from its page', async () => {
    const { context, page } = await loggedIn();
    await page.locator('#web-url').fill(site.url('/slow/'));
    await page.locator('#web-vendor').fill('FRRouting');
    await page.locator('#web-product').fill('frr');
    await page.locator('#web-version').fill('cancelled');
    await page.locator('input[name="allow_private"]').check();
    await Promise.all([page.waitForURL(/\/jobs\/[a-z0-9]+$/), page.getByRole('button', { name: 'Add', exact: true }).click()]);
    await page.locator('[data-job-items] tbody tr').nth(1).waitFor();
    await Promise.all([page.waitForURL(/\/jobs\/[a-z0-9]+$/), page.getByRole('button', { name: 'Cancel' }).click()]);
    await page.locator('[data-job-events][data-status="cancelled"]').waitFor({ timeout: 60_000 });
    const added = fixture.library.documents({ product: 'frr', version: 'cancelled' }).length;
    assert.ok(added >= 2 && added < 41, `${added} pages added before the cancel`);
    await context.close();
  });

  test('remove asks first, then removes; re-label moves a version to its new label; log out ends the session', async () => {
    const { context, page } = await loggedIn();
    await page.goto(`${server.url}/curate/library`);
    const row = page.locator('tr', { hasText: 'live' });
    await Promise.all([page.waitForURL(/\/curate\/remove\?/), row.getByRole('link', { name: 'Remove' }).click()]);
    assert.match(await page.locator('h1').textContent() ?? '', /Remove these 7 documents\?/);
    assert.equal(fixture.library.documents({ product: 'frr', version: 'live' }).length, 7, 'nothing is removed before confirming');
    await page.getByRole('button', { name: 'Remove 7 documents' }).click();
    assert.match(await page.locator('h1').textContent() ?? '', /Removed 7 documents/);
    assert.throws(() => fixture.library.documents({ product: 'frr', version: 'live' }), /not in the library/);

    await page.goto(`${server.url}/curate/relabel?product=gadget&version=1.0`);
    await page.locator('input[name="new_version"]').fill('1.0(2)');
    await Promise.all([page.waitForURL(/\/jobs\/[a-z0-9]+$/), page.getByRole('button', { name: 'Re-label' }).click()]);
    await page.locator('[data-job-events][data-status="done"]').waitFor({ timeout: 60_000 });
    assert.deepEqual(fixture.library.documents({ product: 'gadget' }).map((d) => [d.docId, d.versionLabel]), [
      ['gadget::1.0-2::alpha::alpha', '1.0(2)'], ['gadget::1.0-2::beta::beta', '1.0(2)'],
    ]);

    await page.goto(`${server.url}/curate`);
    await Promise.all([page.waitForURL(`${server.url}/`), page.getByRole('button', { name: 'Log out' }).click()]);
    await page.goto(`${server.url}/curate`);
    assert.match(page.url(), /\/login/, 'logged out');
    await context.close();
  });
});
