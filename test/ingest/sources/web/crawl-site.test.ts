import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { crawlSite } from '../../../../src/ingest/sources/web/crawler.js';
import { WebSourceError } from '../../../../src/ingest/sources/web/web-source-error.js';
import { convertFile } from '../../../../src/ingest/convert/index.js';
import { packageVersion } from '../../../../src/version.js';
import { corpusPath } from '../../../support/corpus.js';
import { collect, FRR, LOCAL, NETBOX, ofType, pathsOf, resources } from './support/crawl-helpers.js';
import { page, respond, serveFolder, startTestSite, type TestSite } from './support/test-site.js';

/** The chapters of the FRR manual in the order of its table of contents (index.html). */
function frrTableOfContents(): string[] {
  const html = readFileSync(path.join(FRR, 'index.html'), 'utf8');
  const names = [...html.matchAll(/toctree-l1"><a class="reference internal" href="([^"#]+)/g)].map((m) => m[1]!);
  return [...new Set(names)];
}

/**
 * llms.txt for the NetBox docs: the first 60 pages of the `nav:` in its mkdocs.yml, so the order
 * is the site's own and the other pages can only be found through links.
 */
function netboxLlmsTxt(origin: string): { text: string; pages: string[] } {
  const yaml = readFileSync(corpusPath('markdown', 'netbox-docs', 'mkdocs.yml'), 'utf8');
  const nav = yaml.slice(yaml.indexOf('\nnav:'));
  const pages = [...new Set([...nav.matchAll(/'([^']+\.md)'/g)].map((m) => m[1]!))].slice(0, 60);
  const text = `# NetBox\n\n> NetBox documentation\n\n## Docs\n\n${pages.map((p) => `- [${p}](${origin}/netbox/${p})`).join('\n')}\n`;
  return { text, pages };
}

describe('crawling the FRR manual (Sphinx HTML)', () => {
  let site: TestSite;
  before(async () => {
    site = await startTestSite([serveFolder('/frr/', FRR)]);
  });
  after(() => site.close());

  it('fetches every chapter once, in table-of-contents order, each with the start page as parent', async () => {
    const crawl = crawlSite(site.url('/frr/'), LOCAL);
    const events = await collect(crawl);
    const pages = resources(events);
    const chapters = frrTableOfContents();
    assert.ok(chapters.length >= 38, `the manual lists ${chapters.length} chapters`);
    assert.deepEqual(pathsOf(pages.map((p) => p.url), site.origin), ['/frr/', ...chapters.map((c) => `/frr/${c}`)]);
    assert.deepEqual(
      pages.map((p) => p.navigation.order),
      pages.map((_, i) => i),
      'orders follow discovery',
    );
    for (const chapter of pages.slice(1)) {
      assert.equal(chapter.navigation.parent, site.url('/frr/'));
      assert.equal(chapter.navigation.depth, 1);
      assert.equal(chapter.navigation.via, 'link');
    }
    assert.equal(pages[0]!.navigation.via, 'start');
    assert.equal(crawl.summary().status, 'complete');
  });

  it('hands out the exact bytes with a converter-ready file name, format, hash and validators', async () => {
    const pages = resources(await collect(crawlSite(site.url('/frr/'), { ...LOCAL, include: ['/frr/bgp.html'] })));
    const bgp = pages.find((p) => p.url.endsWith('/bgp.html'))!;
    assert.deepEqual(Buffer.from(bgp.bytes), readFileSync(path.join(FRR, 'bgp.html')));
    assert.equal(bgp.fileName, 'bgp.html');
    assert.equal(bgp.format, 'html');
    assert.match(bgp.contentHash, /^[0-9a-f]{64}$/);
    assert.ok(bgp.validators.etag && bgp.validators.lastModified);
    assert.equal(bgp.contentType, 'text/html; charset=utf-8');
    const converted = await convertFile(bgp);
    assert.equal(converted.title, 'BGP');
    assert.match(converted.pages[0]!.markdown, /^## Starting BGP$/m);
  });

  it('never requests assets, Sphinx source copies, generated index pages or other sites, and each page once', async () => {
    const before = site.hits.length;
    const resolved: string[] = [];
    await collect(crawlSite(site.url('/frr/'), LOCAL, { resolver: async (host) => (resolved.push(host), []) }));
    const paths = site.hits.slice(before).map((h) => h.path);
    assert.deepEqual(resolved, [], 'no host name was even resolved (the sphinx-doc.org links are out of scope)');
    assert.ok(!paths.some((p) => /_sources|_static|_images|genindex|search\.html/.test(p)), paths.join(' '));
    const pagePaths = paths.filter((p) => p.endsWith('.html') || p.endsWith('/'));
    assert.equal(new Set(pagePaths).size, pagePaths.length, 'fragment links (#…) do not cause refetches');
    assert.ok(paths.includes('/robots.txt'));
  });

  it('hands out the same order and parents whatever the concurrency', async () => {
    const run = async (concurrency: number) =>
      resources(await collect(crawlSite(site.url('/frr/index.html'), { ...LOCAL, concurrency }))).map((p) => `${p.navigation.order} ${p.url} ${p.navigation.parent}`);
    assert.deepEqual(await run(1), await run(8));
  });

  it('spaces requests to the per-host rate limit, with a User-Agent naming McDewey and its version', async () => {
    const before = site.hits.length;
    await collect(crawlSite(site.url('/frr/'), { ...LOCAL, maxRequestsPerSecond: 8, include: ['/frr/{bgp,zebra,ospfd}.html'], sitemaps: false, llmsTxt: false }));
    const hits = site.hits.slice(before);
    assert.equal(hits.length, 5, 'robots.txt, the start page and three chapters');
    for (let i = 1; i < hits.length; i += 1) assert.ok(hits[i]!.at - hits[i - 1]!.at >= 115, `gap ${Math.round(hits[i]!.at - hits[i - 1]!.at)} ms at 8 requests/s`);
    const agent = String(hits[0]!.headers['user-agent']);
    assert.match(agent, /^Mozilla\/5\.0 \(compatible; McDewey\/\d+\.\d+\.\d+;/);
    assert.ok(agent.includes(`McDewey/${packageVersion()}`));
    assert.match(String(hits[1]!.headers['accept']), /text\/html/);
  });

  it('reports /frr/index.html as a duplicate of /frr/ (same bytes)', async () => {
    const events = await collect(crawlSite(site.url('/frr/'), LOCAL));
    const duplicate = ofType(events, 'skipped').find((e) => e.url === site.url('/frr/index.html'));
    assert.equal(duplicate?.reason, 'duplicate');
    assert.match(duplicate!.message, /same bytes as .*\/frr\//);
  });
});

describe('seeding from sitemaps and llms.txt', () => {
  let site: TestSite;
  const sitemapOrder = ['zebra.html', 'bgp.html', 'ospfd.html', 'overview.html'];
  before(async () => {
    site = await startTestSite([serveFolder('/frr/', FRR), serveFolder('/netbox/', NETBOX, { index: 'index.md' })]);
    const pagesXml = `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${sitemapOrder
      .map((p) => `<url><loc>${site.url(`/frr/${p}`)}</loc></url>`)
      .join('')}<url><loc>https://elsewhere.example/x.html</loc></url></urlset>`;
    site.route('/robots.txt', respond(200, `User-agent: *\nAllow: /\nSitemap: ${site.url('/maps/index.xml')}\n`, { 'content-type': 'text/plain' }));
    site.route('/maps/index.xml', respond(200, `<sitemapindex><sitemap><loc>${site.url('/maps/pages.xml.gz')}</loc></sitemap></sitemapindex>`, { 'content-type': 'application/xml' }));
    site.route('/maps/pages.xml.gz', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' }).end(zlib.gzipSync(pagesXml));
    });
    const llms = netboxLlmsTxt(site.origin);
    site.route('/netbox/llms.txt', respond(200, llms.text, { 'content-type': 'text/markdown' }));
  });
  after(() => site.close());

  it('puts sitemap entries (robots.txt Sitemap line → index → gzipped urlset) right after the start page, in sitemap order', async () => {
    const crawl = crawlSite(site.url('/frr/index.html'), LOCAL);
    const pages = resources(await collect(crawl));
    assert.deepEqual(
      pathsOf(pages.slice(0, 5).map((p) => p.url), site.origin),
      ['/frr/index.html', ...sitemapOrder.map((p) => `/frr/${p}`)],
    );
    for (const seeded of pages.slice(1, 5)) {
      assert.equal(seeded.navigation.via, 'sitemap');
      assert.equal(seeded.navigation.parent, site.url('/frr/index.html'), 'path hierarchy: the start page is the folder page');
    }
    assert.equal(pages.length, 41, 'links still add the pages the sitemap left out');
    assert.deepEqual(pathsOf(crawl.summary().seeds!.read, site.origin), ['/maps/index.xml', '/maps/pages.xml.gz']);
  });

  it('crawls a Markdown site: llms.txt order first, then pages found through Markdown links', async () => {
    const { pages: navPages } = netboxLlmsTxt(site.origin);
    const crawl = crawlSite(site.url('/netbox/index.md'), { ...LOCAL, concurrency: 8 });
    const events = await collect(crawl);
    const pages = resources(events);
    assert.ok(crawl.summary().seeds!.read.includes(site.url('/netbox/llms.txt')));
    assert.ok(pages.every((p) => p.format === 'markdown' && p.fileName.endsWith('.md')));
    const fromLlms = pages.filter((p) => p.navigation.via === 'llms-txt').map((p) => p.url.slice(`${site.origin}/netbox/`.length));
    const expected = navPages.filter((p) => fromLlms.includes(p));
    assert.deepEqual(fromLlms, expected, 'llms.txt order is kept');
    assert.ok(fromLlms.length >= navPages.length - 3, `${fromLlms.length} of ${navPages.length} listed pages fetched`);
    const linked = pages.filter((p) => p.navigation.via === 'link');
    assert.ok(linked.length > 100, `${linked.length} more pages found through Markdown links`);
    for (const page of linked) assert.ok(pages.some((p) => p.url === page.navigation.parent), `${page.url} hangs under a fetched page`);
    const order = pages.map((p) => p.navigation.order);
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    const parentOf = (name: string) => pages.find((p) => p.url === site.url(`/netbox/${name}`))?.navigation.parent;
    assert.equal(parentOf('installation/1-postgresql.md'), site.url('/netbox/installation/index.md'), 'llms.txt entries hang under the nearest listed page above them');
    assert.equal(parentOf('features/ipam.md'), site.url('/netbox/index.md'), '…or under the start page');
  });
});

describe('robots.txt', () => {
  let site: TestSite;
  let robots = '';
  before(async () => {
    site = await startTestSite([serveFolder('/frr/', FRR)]);
    site.route('/robots.txt', (_req, res) => {
      if (robots === '500') res.writeHead(500).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end(robots);
    });
  });
  after(() => site.close());

  it('refuses to start where it is disallowed, quoting the rule and the flag that overrides it', async () => {
    robots = 'User-agent: *\nAllow: /\n\nUser-agent: McDewey\nDisallow: /frr/\n';
    const before = site.hits.length;
    await assert.rejects(collect(crawlSite(site.url('/frr/'), { ...LOCAL, retries: 0 })), (error: unknown) => {
      assert.ok(error instanceof WebSourceError);
      assert.equal(error.reason, 'robots');
      assert.match(error.message, /robots\.txt does not allow McDewey to fetch \/frr\/ \(line 5: "Disallow: \/frr\/"\)/);
      assert.match(error.message, /--ignore-robots/);
      return true;
    });
    assert.deepEqual(site.hits.slice(before).map((h) => h.path), ['/robots.txt']);
  });

  it('skips disallowed pages without requesting them, and fetches them with ignoreRobots', async () => {
    robots = 'User-agent: *\nDisallow: /frr/bgp.html\nDisallow: /frr/*pim\nDisallow: /*.xml$\nDisallow: /llms.txt\n';
    const before = site.hits.length;
    const events = await collect(crawlSite(site.url('/frr/'), LOCAL));
    const skipped = ofType(events, 'skipped').filter((e) => e.reason === 'robots');
    assert.deepEqual(pathsOf(skipped.map((e) => e.url), site.origin).sort(), ['/frr/bgp.html', '/frr/pim.html', '/frr/pimv6.html']);
    assert.match(skipped[0]!.message, /Disallow: /);
    const paths = site.hits.slice(before).map((h) => h.path);
    assert.ok(!paths.includes('/frr/bgp.html'));
    assert.deepEqual(paths.filter((p) => /sitemap|llms/.test(p)), ['/frr/llms.txt'], 'the disallowed seed files are not probed either');
    const all = resources(await collect(crawlSite(site.url('/frr/'), { ...LOCAL, ignoreRobots: true })));
    assert.ok(all.some((p) => p.url.endsWith('/bgp.html')));
  });

  it('keeps the Crawl-delay between requests, and refuses one longer than accepted', async () => {
    robots = 'User-agent: *\nCrawl-delay: 0.15\n';
    const before = site.hits.length;
    await collect(crawlSite(site.url('/frr/'), { ...LOCAL, include: ['/frr/{bgp,zebra,ospfd}.html'], concurrency: 4 }));
    const hits = site.hits.slice(before).filter((h) => h.path !== '/robots.txt');
    assert.equal(hits.filter((h) => h.path.endsWith('.html') || h.path.endsWith('/')).length, 4);
    const times = hits.map((h) => h.at);
    // Arrival times at the server jitter on a loaded machine, so the delay is checked over the whole
    // crawl (one late arrival shortens one gap and lengthens the next) and loosely per gap.
    assert.ok(times.at(-1)! - times[0]! >= 145 * (times.length - 1), `span ${times.at(-1)! - times[0]!} ms for ${times.length - 1} gaps`);
    for (let i = 1; i < times.length; i += 1) assert.ok(times[i]! - times[i - 1]! >= 75, `gap ${times[i]! - times[i - 1]!} ms`);
    robots = 'User-agent: *\nCrawl-delay: 120\n';
    await assert.rejects(collect(crawlSite(site.url('/frr/'), LOCAL)), /asks for 120 s between requests.*--max-crawl-delay-seconds/s);
  });

  it('treats a robots.txt that fails with 5xx as closing the site, and a 404 as no rules', async () => {
    robots = '500';
    await assert.rejects(collect(crawlSite(site.url('/frr/'), { ...LOCAL, retries: 1 })), /could not be read.*treated as closed to crawlers/s);
    const missing = await startTestSite([serveFolder('/frr/', FRR)]);
    try {
      const pages = resources(await collect(crawlSite(missing.url('/frr/'), LOCAL)));
      assert.equal(pages.length, 41);
    } finally {
      await missing.close();
    }
  });
});

describe('scope, canonical links, duplicates and content types', () => {
  let site: TestSite;
  const pdfFile = corpusPath('pdf', 'paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf');
  const otherPdf = corpusPath('pdf', 'paloalto', 'panorama-azure-plugin', '2.0.0', 'Azure-plugin-on-Panorama-Version2-0-0.pdf');
  before(async () => {
    site = await startTestSite();
    const canonical = (href: string) => `<link rel="canonical" href="${href}">`;
    const routes: Record<string, string> = {
      '/docs/': page('Home', [
        'a.html',
        'a.html?ref=nav&utm_source=x',
        'b.html#one',
        'b.html#two',
        'print/a.html',
        'c-old.html',
        'notes.md',
        'download?id=1',
        'data',
        '/downloads/manual.pdf',
        '/downloads/fake.pdf',
        '/downloads/page.html',
        '/other/page.html',
        'c.html',
        'refresh.html',
        'hidden.html',
        'javascript:alert(1)',
        'mailto:x@example.com',
      ]),
      '/docs/a.html': page('A', [], canonical('/docs/a.html')),
      '/docs/a.html?ref=nav': page('A again', [], canonical('/docs/a.html')),
      '/docs/b.html': page('B'),
      '/docs/print/a.html': page('A print', [], canonical('/docs/a.html')),
      '/docs/c-old.html': page('C', [], canonical('/docs/c.html')),
      '/docs/c.html': page('C'),
      '/docs/refresh.html': '<html><head><meta http-equiv="refresh" content="0; url=moved.html"></head></html>',
      '/docs/moved.html': page('Moved'),
      '/docs/hidden.html': page('Hidden', ['from-hidden.html'], '<meta name="robots" content="noindex">'),
      '/docs/from-hidden.html': page('Found through a noindex page'),
      '/downloads/page.html': page('Not in scope'),
      '/downloads/fake.pdf': page('An HTML error page with a .pdf URL'),
      '/other/page.html': page('Other'),
    };
    for (const [route, body] of Object.entries(routes)) {
      site.route(route.split('?')[0]!, (req, res) => {
        const key = req.url === '/docs/a.html?ref=nav' ? '/docs/a.html?ref=nav' : route;
        res.writeHead(200, { 'content-type': 'text/html' }).end(routes[key]);
      });
    }
    site.route('/docs/notes.md', respond(200, '# Notes\n\nSee [B](b.html).', { 'content-type': 'text/plain' }));
    site.route('/docs/download', (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(pdfFile)));
    site.route('/docs/data', respond(200, '{"a":1}', { 'content-type': 'application/json' }));
    site.route('/downloads/manual.pdf', (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(readFileSync(otherPdf)));
  });
  after(() => site.close());

  it('dedupes by canonical link and fragment, sniffs content, and fetches same-site PDFs outside the folder', async () => {
    const events = await collect(crawlSite(site.url('/docs/'), LOCAL));
    const pages = resources(events);
    const byUrl = new Map(pages.map((p) => [p.url.slice(site.origin.length), p]));
    assert.deepEqual(
      [...byUrl.keys()],
      ['/docs/', '/docs/a.html', '/docs/b.html', '/docs/c.html', '/docs/notes.md', '/docs/download?id=1', '/downloads/manual.pdf', '/docs/moved.html', '/docs/from-hidden.html'],
    );
    assert.equal(byUrl.get('/docs/c.html')!.requestedUrl, site.url('/docs/c-old.html'), 'the canonical URL names the page fetched as c-old.html');
    assert.equal(site.hitsUnder('/docs/c.html').length, 0, 'so c.html itself is never requested');
    assert.equal(site.hitsUnder('/docs/b.html').length, 1);
    assert.equal(byUrl.get('/docs/notes.md')!.format, 'markdown');
    assert.equal(byUrl.get('/docs/download?id=1')!.format, 'pdf');
    assert.equal(byUrl.get('/docs/download?id=1')!.fileName, 'download.pdf');
    assert.equal(byUrl.get('/downloads/manual.pdf')!.format, 'pdf');
    assert.equal(site.hitsUnder('/downloads/page.html').length, 0, 'HTML outside the folder is out of scope');
    assert.equal(site.hitsUnder('/other/').length, 0);

    const skipped = new Map(ofType(events, 'skipped').map((e) => [e.url.slice(site.origin.length), e]));
    assert.equal(skipped.get('/docs/a.html?ref=nav')?.reason, 'duplicate');
    assert.equal(skipped.get('/docs/print/a.html')?.reason, 'duplicate');
    assert.equal(skipped.get('/docs/data')?.reason, 'unsupported');
    assert.equal(skipped.get('/downloads/fake.pdf')?.reason, 'out-of-scope');
    assert.match(skipped.get('/downloads/fake.pdf')!.message, /only PDFs are fetched/);
    assert.equal(skipped.get('/docs/refresh.html')?.reason, 'redirect-page');
    assert.equal(skipped.get('/docs/hidden.html')?.reason, 'noindex');
    assert.ok(!site.hits.some((h) => h.path.includes('utm_source')), 'tracking parameters are dropped before fetching');
  });

  it('narrows the crawl with include and exclude globs', async () => {
    const pages = resources(await collect(crawlSite(site.url('/docs/'), { ...LOCAL, include: ['/docs/*.html'], exclude: ['**/c*.html'] })));
    assert.deepEqual(pathsOf(pages.map((p) => p.url), site.origin), ['/docs/', '/docs/a.html', '/docs/b.html', '/docs/moved.html', '/docs/from-hidden.html']);
  });
});
