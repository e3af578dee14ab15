import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../../src/config/config.js';
import { Library } from '../../../src/service/library.js';
import { migrateLibrary } from '../../../src/service/scale-out/migrate.js';
import { FRR, LOCAL } from '../../ingest/sources/web/support/crawl-helpers.js';
import { serveFolder, startTestSite, type TestSite } from '../../ingest/sources/web/support/test-site.js';
import { postgresTestOptions, usePostgresCluster } from '../../support/postgres.js';

/**
 * Site crawls, refresh and re-labelling on scale-out nodes (libraries over one PostgreSQL database,
 * in one process, as two nodes would be), against the FRR manual served on 127.0.0.1: what one node
 * crawls another finds and refreshes (the crawl state is in PostgreSQL), pages that are gone leave
 * every replica, a re-labelling moves every document at once, and a migrated library can be refreshed.
 */
let count = 0;
const pg = usePostgresCluster();
const LABELS = { vendor: 'FRRouting', product: 'frr', version: '8.4.4' };
const overrides = new Map<string, string | null>();
let site: TestSite;
let pageCount: number;

before(async () => {
  site = await startTestSite([serveFolder('/frr/', FRR, { overrides })]);
  pageCount = fs.readdirSync(FRR).filter((f) => f.endsWith('.html')).length;
});
after(() => site?.close());

async function node(store: string): Promise<Library> {
  return Library.open(loadConfig({ data: pg.folder('mcdewey-node-'), store, embedder: 'none' }, {}), 'write');
}

/** Each page's URL once: no page was filed twice. */
function urlsOf(library: Library): string[] {
  return library.documents({ product: LABELS.product }).map((d) => (d.origin?.kind === 'url' ? d.origin.url : d.sourcePath));
}

function changedPages(): void {
  const ospf = fs.readFileSync(path.join(FRR, 'ospfd.html'), 'utf8');
  overrides.set('ospfd.html', ospf.replace('<h1>OSPFv2', '<h1>OSPF version 2 zebrafinch'));
  overrides.set('vrrp.html', null);
}

describe('sites on scale-out nodes', postgresTestOptions(), () => {
  test('a site crawled on one node is found on the other; the other refreshes it: 304s, a changed page, a page gone from every node', async () => {
    const url = pg.database(`node_sites_${++count}`);
    const a = await node(url);
    const b = await node(url);
    try {
      const crawled = await a.addSite({ url: site.url('/frr/'), labels: LABELS, crawl: LOCAL });
      assert.equal(crawled.summary.status, 'complete');
      const added = crawled.outcomes.filter((o) => o.status === 'added');
      assert.ok(added.length > 20, `${added.length} pages added of ${pageCount} files`);
      assert.equal(crawled.outcomes.filter((o) => o.status === 'failed').length, 0);

      await b.scaleOutNode!.catchUp();
      const urls = urlsOf(b);
      assert.equal(new Set(urls).size, urls.length, 'every page once');
      assert.equal(urls.length, added.length);
      const hits = (await b.search({ query: 'OSPF area border router' })).hits;
      assert.ok(hits.length > 0 && hits[0]!.docId.startsWith('frr::8.4.4::'), 'the crawled site is searchable on the other node');

      changedPages();
      const before = site.hits.length;
      const refreshed = await b.refresh({ product: 'frr' });
      overrides.clear();
      const by = (status: string) => refreshed.outcomes.filter((o) => o.status === status).map((o) => o.file);
      assert.deepEqual(by('updated'), [site.url('/frr/ospfd.html')]);
      assert.deepEqual(by('removed'), [site.url('/frr/vrrp.html')]);
      assert.equal(by('unchanged').length, urls.length - 2);
      assert.ok(site.hits.slice(before).some((h) => h.headers['if-none-match']), 'the refresh asks with the validators of the first crawl');

      await a.scaleOutNode!.catchUp();
      for (const library of [a, b]) {
        assert.equal(urlsOf(library).length, urls.length - 1);
        assert.ok(!urlsOf(library).includes(site.url('/frr/vrrp.html')), 'the page that is gone left every replica');
        assert.ok((await library.search({ query: 'zebrafinch' })).hits.length > 0, 'the changed page is searchable everywhere');
        assert.deepEqual(await library.check(), []);
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a re-labelling on one node moves every document of the product in one step, and the other node sees it', async () => {
    const url = pg.database(`node_sites_${++count}`);
    const a = await node(url);
    const b = await node(url);
    try {
      await a.addSite({ url: site.url('/frr/'), labels: LABELS, crawl: LOCAL });
      const before = a.documents({ product: 'frr' });
      assert.ok(before.length > 20);
      const results = await a.relabel({ product: 'frr' }, { vendor: 'FRR Project', product: 'FRRouting Suite' });
      assert.equal(results.length, before.length);
      assert.ok(results.every((r) => r.status === 'relabelled'), JSON.stringify(results.filter((r) => r.status !== 'relabelled')));

      await b.scaleOutNode!.catchUp();
      const moved = b.documents({ product: 'frrouting-suite' });
      assert.deepEqual(moved.map((d) => d.key.document).sort(), before.map((d) => d.key.document).sort());
      assert.ok(moved.every((d) => d.vendorLabel === 'FRR Project' && d.productLabel === 'FRRouting Suite'));
      assert.ok(!b.documents().some((d) => d.key.product === 'frr'), 'no document is left under the old product');
      assert.ok((await b.search({ query: 'zebra daemon', product: 'frrouting-suite' })).hits.length > 0);
      assert.deepEqual(await b.check(), []);

      // A refresh after the move still knows the site (its crawl state is keyed by the start URL).
      const refreshed = await b.refresh({ product: 'frrouting-suite' });
      assert.equal(refreshed.outcomes.length, before.length);
      assert.ok(refreshed.outcomes.every((o) => o.status === 'unchanged'), JSON.stringify(refreshed.outcomes.filter((o) => o.status !== 'unchanged').slice(0, 3)));
      assert.equal(b.documents().length, before.length);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a re-labelling refused in PostgreSQL changes nothing', async () => {
    const url = pg.database(`node_sites_${++count}`);
    const a = await node(url);
    try {
      await a.addSite({ url: site.url('/frr/'), labels: LABELS, crawl: { ...LOCAL, maxPages: 4 } });
      const other = path.join(pg.folder('mcdewey-src-'), 'other.md');
      fs.writeFileSync(other, '# Other\n\nAnother vendor owns this product.\n');
      await a.add(a.plan([other], { vendor: 'Acme', product: 'taken', version: '1' }));
      const before = a.documents().map((d) => [d.docId, d.vendorLabel]);
      await assert.rejects(() => a.relabel({ product: 'frr' }, { product: 'taken' }), /already belongs to vendor/);
      assert.deepEqual(a.documents().map((d) => [d.docId, d.vendorLabel]), before);
      assert.deepEqual(await a.check(), []);
    } finally {
      await a.close();
    }
  });

  test('an embedded library migrated into PostgreSQL keeps its crawl state, and a node refreshes it conditionally', async () => {
    const data = pg.folder('mcdewey-embedded-');
    const embedded = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
    let pages: number;
    try {
      const crawled = await embedded.addSite({ url: site.url('/frr/'), labels: LABELS, crawl: LOCAL });
      pages = crawled.outcomes.filter((o) => o.status === 'added').length;
    } finally {
      await embedded.close();
    }
    const url = pg.database(`node_sites_${++count}`);
    const result = await migrateLibrary(data, url);
    assert.equal(result.sources, 1);
    const b = await node(url);
    try {
      changedPages();
      const refreshed = await b.refresh({ source: site.url('/frr/') });
      overrides.clear();
      const by = (status: string) => refreshed.outcomes.filter((o) => o.status === status).length;
      assert.equal(by('unchanged'), pages - 2, 'pages answering 304 are left alone');
      assert.equal(by('updated'), 1);
      assert.equal(by('removed'), 1);
      assert.equal(urlsOf(b).length, pages - 1);
      assert.deepEqual(await b.check(), []);
    } finally {
      await b.close();
    }
  });
});
