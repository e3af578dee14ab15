import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { crawlSite } from '../../../../src/ingest/sources/web/crawler.js';
import type { CrawlEvent } from '../../../../src/ingest/sources/web/crawl-events.js';
import type { CrawlState } from '../../../../src/ingest/sources/web/crawl-state.js';
import { fetchUrl } from '../../../../src/ingest/sources/web/fetch-url.js';
import { WebSourceError } from '../../../../src/ingest/sources/web/web-source-error.js';
import { collect, FRR, LOCAL, LOCAL_FETCH, ofType, resources } from './support/crawl-helpers.js';
import { serveFolder, startTestSite, type TestSite } from './support/test-site.js';

/** Saved the way a caller would: through JSON. */
const saved = (state: CrawlState): CrawlState => JSON.parse(JSON.stringify(state)) as CrawlState;

describe('refreshing a crawled site', () => {
  let site: TestSite;
  const overrides = new Map<string, string | null>();
  let first: CrawlState;
  before(async () => {
    site = await startTestSite([serveFolder('/frr/', FRR, { overrides })]);
    const crawl = crawlSite(site.url('/frr/'), LOCAL);
    await collect(crawl);
    first = saved(crawl.state());
    assert.equal(first.status, 'complete');
  });
  after(() => site.close());

  it('asks conditionally, reports 304s as unchanged, hands out changed pages and reports removed ones as gone', async () => {
    const ospf = readFileSync(path.join(FRR, 'ospfd.html'), 'utf8');
    overrides.set('ospfd.html', ospf.replace('<h1>OSPFv2', '<h1>OSPF version 2'));
    overrides.set('vrrp.html', null);
    const before = site.hits.length;
    const crawl = crawlSite(site.url('/frr/'), LOCAL, { previous: first });
    const events = await collect(crawl);
    overrides.clear();

    const changed = resources(events);
    assert.deepEqual(changed.map((r) => r.url), [site.url('/frr/ospfd.html')]);
    assert.equal(ofType(events, 'resource')[0]!.change, 'changed');
    assert.match(new TextDecoder().decode(changed[0]!.bytes), /OSPF version 2/);

    const gone = ofType(events, 'gone');
    assert.deepEqual(gone.map((g) => [g.url, g.status]), [[site.url('/frr/vrrp.html'), 404]]);

    const unchanged = ofType(events, 'unchanged');
    assert.equal(unchanged.length, 39);
    assert.ok(unchanged.every((u) => u.format === 'html' && u.contentHash && u.validators.etag));
    const firstOrders = new Map(first.records.map((r) => [r.resourceUrl ?? r.url, r.order]));
    for (const event of unchanged) assert.equal(event.navigation.order, firstOrders.get(event.url), `${event.url} keeps its place`);

    const known = new Set(first.records.filter((r) => r.outcome === 'resource').map((r) => r.url));
    const pageHits = site.hits.slice(before).filter((h) => known.has(site.url(h.path)));
    assert.equal(pageHits.length, known.size);
    assert.ok(pageHits.every((h) => h.headers['if-none-match']), 'every page handed out before is asked for conditionally');
    assert.equal(crawl.state().status, 'complete');
  });

  it('re-checks known pages that nothing links to any more, and reports the removed ones', async () => {
    const index = readFileSync(path.join(FRR, 'index.html'), 'utf8');
    // The table of contents no longer links to bgp.html or pim.html; pim.html is also removed.
    overrides.set('', index.replaceAll('href="bgp.html', 'href="#').replaceAll('href="pim.html', 'href="#'));
    overrides.set('index.html', overrides.get('')!);
    overrides.set('pim.html', null);
    const events = await collect(crawlSite(site.url('/frr/'), LOCAL, { previous: first }));
    overrides.clear();
    const bgp = ofType(events, 'unchanged').find((e) => e.url === site.url('/frr/bgp.html'));
    assert.equal(bgp?.navigation.via, 'previous');
    const gone = ofType(events, 'gone').map((g) => g.url);
    assert.ok(gone.includes(site.url('/frr/pim.html')));
  });

  it('refreshes a single URL with its validators', async () => {
    const fetched = await fetchUrl(site.url('/frr/bgp.html'), LOCAL_FETCH);
    assert.equal(fetched.type, 'resource');
    const resource = fetched.type === 'resource' ? fetched.resource : undefined;
    const again = await fetchUrl(site.url('/frr/bgp.html'), LOCAL_FETCH, { previous: { ...resource!.validators, contentHash: resource!.contentHash } });
    assert.equal(again.type, 'unchanged');
    overrides.set('bgp.html', null);
    const gone = await fetchUrl(site.url('/frr/bgp.html'), LOCAL_FETCH, { previous: resource!.validators });
    overrides.clear();
    assert.deepEqual(gone, { type: 'gone', url: site.url('/frr/bgp.html'), status: 404 });
  });
});

describe('cancelling and resuming a crawl', () => {
  let site: TestSite;
  let reference: Map<string, number>;
  before(async () => {
    site = await startTestSite([serveFolder('/frr/', FRR)]);
    const pages = resources(await collect(crawlSite(site.url('/frr/'), LOCAL)));
    reference = new Map(pages.map((p) => [p.url, p.navigation.order]));
  });
  after(() => site.close());

  /** The page URLs requested since hit number `from`. */
  const pageRequests = (from: number): string[] =>
    site.hits
      .slice(from)
      .map((h) => site.url(h.path))
      .filter((u) => reference.has(u));

  it('cancels with an AbortSignal, and resumes from the saved state without fetching again what it handed out', async () => {
    const controller = new AbortController();
    const crawl = crawlSite(site.url('/frr/'), { ...LOCAL, concurrency: 3 }, { signal: controller.signal });
    const firstPart: CrawlEvent[] = [];
    let state: CrawlState | undefined;
    for await (const event of crawl) {
      firstPart.push(event);
      state = saved(crawl.state());
      if (resources(firstPart).length === 12) controller.abort();
    }
    const stopped = ofType(firstPart, 'stopped');
    assert.equal(stopped.length, 1);
    assert.equal(stopped[0]!.reason, 'cancelled');
    assert.equal(state!.status, 'cancelled');
    const handedOut = resources(firstPart).map((r) => r.url);
    assert.equal(handedOut.length, 12);

    const before = site.hits.length;
    const resumed = crawlSite(site.url('/frr/'), { ...LOCAL, concurrency: 3 }, { resume: state });
    const rest = resources(await collect(resumed)).map((r) => r.url);
    assert.equal(resumed.summary().status, 'complete');
    assert.deepEqual([...handedOut, ...rest].sort(), [...reference.keys()].sort(), 'together, exactly the pages of an uninterrupted crawl');
    const refetched = pageRequests(before).filter((u) => handedOut.includes(u));
    assert.deepEqual(refetched, [], 'nothing handed out before is fetched again');
    assert.ok(!site.hits.slice(before).some((h) => h.path === '/frr/sitemap.xml'), 'seeding is not repeated');
  });

  it('resumes after the consumer simply stopped reading (as when the process is killed)', async () => {
    const crawl = crawlSite(site.url('/frr/'), LOCAL);
    const got: string[] = [];
    let state: CrawlState | undefined;
    for await (const event of crawl) {
      if (event.type === 'resource') got.push(event.resource.url);
      state = saved(crawl.state());
      if (got.length === 5) break;
    }
    const before = site.hits.length;
    const rest = resources(await collect(crawlSite(site.url('/frr/'), LOCAL, { resume: state })));
    assert.deepEqual([...got, ...rest.map((r) => r.url)].sort(), [...reference.keys()].sort());
    for (const page of rest) assert.equal(page.navigation.order, reference.get(page.url), `${page.url} keeps its order`);
    assert.deepEqual(pageRequests(before).filter((u) => got.includes(u)), []);
  });

  it('continues a crawl stopped at maxPages with a higher limit', async () => {
    const limited = crawlSite(site.url('/frr/'), { ...LOCAL, maxPages: 10 });
    const part = resources(await collect(limited));
    assert.equal(limited.state().status, 'max-pages');
    const more = resources(await collect(crawlSite(site.url('/frr/'), { ...LOCAL, maxPages: 100 }, { resume: saved(limited.state()) })));
    assert.equal(part.length + more.length, reference.size);
  });

  it('refuses a state that is malformed or belongs to another crawl', async () => {
    assert.throws(() => crawlSite(site.url('/frr/'), LOCAL, { previous: { kind: 'something else' } as never }), (error: unknown) => {
      assert.ok(error instanceof WebSourceError);
      assert.equal(error.reason, 'invalid-state');
      return true;
    });
    const other = crawlSite(site.url('/frr/bgp.html'), { ...LOCAL, maxPages: 1 });
    await collect(other);
    await assert.rejects(collect(crawlSite(site.url('/frr/'), LOCAL, { resume: saved(other.state()) })), /belongs to a crawl of .*\/frr\/bgp\.html/);
  });
});
