import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { crawlSite } from '../../../../src/ingest/sources/web/crawler.js';
import { fetchUrl } from '../../../../src/ingest/sources/web/fetch-url.js';
import { WebSourceError } from '../../../../src/ingest/sources/web/web-source-error.js';
import { collect, LOCAL, LOCAL_FETCH, ofType, pathsOf, resources } from './support/crawl-helpers.js';
import { page, redirect, respond, startTestSite, type Handler, type TestSite } from './support/test-site.js';

/** Answers with the next handler each time, the last one forever. */
function sequence(...handlers: Handler[]): Handler {
  let call = 0;
  return (req, res, url) => handlers[Math.min(call++, handlers.length - 1)]!(req, res, url);
}

const delayed =
  (ms: number, handler: Handler): Handler =>
  (req, res, url) =>
    new Promise((resolve) => setTimeout(() => resolve(handler(req, res, url)), ms));

describe('HTTP failures, retries and limits', () => {
  let site: TestSite;
  let bytesSent = 0;
  before(async () => {
    site = await startTestSite();
    site.route('/ok.html', respond(200, page('OK')));
    site.route('/missing.html', respond(404, 'no'));
    site.route('/broken.html', respond(500, 'boom'));
    site.route('/flaky.html', sequence(respond(503, 'busy'), respond(200, page('Flaky, then fine'))));
    site.route('/slow-down.html', sequence(respond(429, 'slow down', { 'retry-after': '1' }), respond(200, page('Patient'))));
    site.route('/go-away.html', respond(429, 'tomorrow', { 'retry-after': '3600' }));
    site.route('/slow-start.html', sequence(delayed(1500, respond(200, page('Too late'))), respond(200, page('Slow start'))));
    site.route('/dripping.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const timer = setInterval(() => res.write('<p>drip</p>'), 50);
      res.on('close', () => clearInterval(timer));
    });
    site.route('/huge.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = (): void => {
        while (bytesSent < 20 * 1024 * 1024) {
          bytesSent += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    site.route('/announced-huge.pdf', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(5 * 1024 * 1024 * 1024) });
      res.write('%PDF-1.7\n');
    });
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    site.route('/bomb.html', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': bomb.length }).end(bomb);
    });
    const small = zlib.gzipSync(page('Compressed'));
    site.route('/gzip.html', (_req, res) => res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(small));
  });
  after(() => site.close());

  const fast = { ...LOCAL_FETCH, retries: 2, retryBaseDelayMs: 10 };
  const hitsOf = (path: string): number => site.hits.filter((h) => h.path === path).length;

  it('reports a 404 with what to do, and a 500 after its retries', async () => {
    await assert.rejects(fetchUrl(site.url('/missing.html'), fast), (error: unknown) => {
      assert.ok(error instanceof WebSourceError);
      assert.equal(error.status, 404);
      assert.match(error.message, /the page does not exist \(HTTP 404\)\. Check the link/);
      return true;
    });
    assert.equal(hitsOf('/missing.html'), 1, '404 is not retried');
    await assert.rejects(fetchUrl(site.url('/broken.html'), fast), /the server failed \(HTTP 500 after 3 attempts\)\. Try again later/);
    assert.equal(hitsOf('/broken.html'), 3);
  });

  it('retries a 503 and succeeds', async () => {
    const result = await fetchUrl(site.url('/flaky.html'), fast);
    assert.equal(result.type, 'resource');
    assert.equal(hitsOf('/flaky.html'), 2);
  });

  it('waits as long as Retry-After asks, and gives up at once when that is too long', async () => {
    const started = performance.now();
    const result = await fetchUrl(site.url('/slow-down.html'), fast);
    assert.equal(result.type, 'resource');
    const [first, second] = site.hits.filter((h) => h.path === '/slow-down.html');
    assert.ok(second!.at - first!.at >= 950, `waited ${Math.round(second!.at - first!.at)} ms`);
    assert.ok(performance.now() - started < 5000);
    await assert.rejects(fetchUrl(site.url('/go-away.html'), fast), /come back in 3600 s/);
    assert.equal(hitsOf('/go-away.html'), 1);
  });

  it('retries a server that does not answer within the header timeout', async () => {
    const result = await fetchUrl(site.url('/slow-start.html'), { ...fast, headerTimeoutMs: 300 });
    assert.equal(result.type, 'resource');
    assert.equal(hitsOf('/slow-start.html'), 2);
  });

  it('cuts a response that takes longer than the response timeout', async () => {
    const started = performance.now();
    await assert.rejects(fetchUrl(site.url('/dripping.html'), { ...fast, retries: 0, responseTimeoutMs: 400 }), /took longer than 0\.4 s.*--response-timeout-ms/s);
    assert.ok(performance.now() - started < 2000);
  });

  it('stops reading a huge response at the byte cap', async () => {
    const cap = 1024 * 1024;
    await assert.rejects(fetchUrl(site.url('/huge.html'), { ...fast, maxBytes: cap }), (error: unknown) => {
      assert.match(String(error), /larger than the 1 MiB limit \(cut while downloading\).*--max-bytes/s);
      return true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(bytesSent < 8 * cap, `the server got to write ${bytesSent} bytes of 20 MiB`);
    await assert.rejects(fetchUrl(site.url('/announced-huge.pdf'), { ...fast, maxBytes: cap }), /it announces 5120 MiB/);
  });

  it('decompresses gzip, and caps the decompressed size too', async () => {
    const result = await fetchUrl(site.url('/gzip.html'), fast);
    assert.equal(result.type === 'resource' && new TextDecoder().decode(result.resource.bytes), page('Compressed'));
    await assert.rejects(fetchUrl(site.url('/bomb.html'), { ...fast, maxBytes: 1024 * 1024 }), /after decompression/);
  });

  it('says so plainly when the host does not resolve or nothing listens', async () => {
    const nowhere = async (): Promise<never> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND docs.nowhere.test'), { code: 'ENOTFOUND' });
    };
    await assert.rejects(collect(crawlSite('https://docs.nowhere.test/', LOCAL, { resolver: nowhere })), (error: unknown) => {
      assert.ok(error instanceof WebSourceError);
      assert.equal(error.reason, 'fetch-failed');
      assert.match(error.message, /robots\.txt: the host name does not resolve \(ENOTFOUND\)\. Check the spelling/);
      return true;
    });
    const closed = await startTestSite();
    const url = closed.url('/docs/');
    await closed.close();
    await assert.rejects(fetchUrl(url, { ...fast, retries: 1 }), /could not talk to the server: connect ECONNREFUSED .*\(2 attempts\)/);
  });

  it('goes on crawling past failed pages and reports each with its status and hint', async () => {
    site.route('/mixed/', respond(200, page('Mixed', ['a.html', '../missing.html', '../broken.html', '../flaky.html', 'b.html'])));
    site.route('/mixed/a.html', respond(200, page('A')));
    site.route('/mixed/b.html', respond(200, page('B')));
    const events = await collect(crawlSite(site.url('/mixed/'), { ...LOCAL, retries: 2, retryBaseDelayMs: 10, pathPrefix: '/' }));
    assert.deepEqual(pathsOf(resources(events).map((r) => r.url), site.origin), ['/mixed/', '/mixed/a.html', '/flaky.html', '/mixed/b.html']);
    const failed = ofType(events, 'failed');
    assert.deepEqual(
      failed.map((f) => [f.url.slice(site.origin.length), f.code, f.status]),
      [
        ['/missing.html', 'gone', 404],
        ['/broken.html', 'http-status', 500],
      ],
    );
    assert.ok(failed.every((f) => f.hint.length > 0 && f.navigation?.parent === site.url('/mixed/')));
  });
});

describe('redirects', () => {
  let site: TestSite;
  before(async () => {
    site = await startTestSite();
    site.route('/docs/', respond(200, page('Docs', ['old.html', 'away.html', 'loop-a.html', 'chain-0.html', 'again.html', 'new.html', 'file.html'])));
    site.route('/docs/old.html', redirect('/docs/new.html', 301));
    site.route('/docs/new.html', respond(200, page('New')));
    site.route('/docs/away.html', redirect('/blog/post.html'));
    site.route('/blog/post.html', respond(200, page('Out of scope')));
    site.route('/docs/loop-a.html', redirect('loop-b.html'));
    site.route('/docs/loop-b.html', redirect('loop-a.html'));
    for (let i = 0; i < 15; i += 1) site.route(`/docs/chain-${i}.html`, redirect(`chain-${i + 1}.html`, 307));
    site.route('/docs/again.html', redirect('/docs/new.html#section'));
    site.route('/docs/file.html', redirect('file:///etc/passwd'));
    site.route('/start', redirect('/docs/'));
  });
  after(() => site.close());

  it('follows redirects within scope, refuses them out of scope, and stops loops and long chains', async () => {
    const events = await collect(crawlSite(site.url('/docs/'), LOCAL));
    const pages = resources(events);
    const moved = pages.find((p) => p.url === site.url('/docs/new.html'));
    assert.equal(moved?.requestedUrl, site.url('/docs/old.html'));
    assert.equal(moved?.finalUrl, site.url('/docs/new.html'));
    assert.equal(pages.filter((p) => p.finalUrl === site.url('/docs/new.html')).length, 1, 'handed out once, however many URLs lead there');
    const failed = new Map(ofType(events, 'failed').map((f) => [f.url.slice(site.origin.length), f]));
    assert.equal(failed.get('/docs/away.html')?.code, 'refused');
    assert.match(failed.get('/docs/away.html')!.message, /redirects to .*\/blog\/post\.html, it is out of the crawl's scope: outside \/docs\//);
    assert.equal(site.hits.filter((h) => h.path === '/blog/post.html').length, 0);
    assert.equal(failed.get('/docs/loop-a.html')?.code, 'redirect-loop');
    assert.equal(failed.get('/docs/chain-0.html')?.code, 'too-many-redirects');
    assert.equal(site.hits.filter((h) => h.path.startsWith('/docs/chain-')).length, 11, 'ten redirects followed, no more');
    assert.match(failed.get('/docs/file.html')!.message, /file: URLs are not fetched/);
    const again = ofType(events, 'skipped').find((s) => s.url === site.url('/docs/again.html'));
    assert.equal(again?.reason, 'duplicate');
  });

  it('takes the scope from where the start URL redirects to', async () => {
    const crawl = crawlSite(site.url('/start'), LOCAL);
    const pages = resources(await collect(crawl));
    assert.equal(crawl.summary().scope?.pathPrefix, '/docs/');
    assert.equal(pages[0]!.url, site.url('/docs/'));
    assert.equal(pages[0]!.requestedUrl, site.url('/start'));
  });

  it('lets a single-URL fetch follow redirects to other sites', async () => {
    const other = await startTestSite([{ path: '/manual.html', handler: respond(200, page('Elsewhere')) }]);
    site.route('/to-other', redirect(other.url('/manual.html')));
    try {
      const result = await fetchUrl(site.url('/to-other'), LOCAL_FETCH);
      assert.equal(result.type === 'resource' && result.resource.finalUrl, other.url('/manual.html'));
    } finally {
      await other.close();
    }
  });
});

describe('link traps', () => {
  let site: TestSite;
  before(async () => {
    site = await startTestSite();
    // An endless calendar: every month links to the next and the previous one.
    site.route('/cal/*', (_req, res, url) => {
      const match = /^\/cal\/(\d+)\/(\d+)\/$/.exec(url.pathname);
      if (!match) return void res.writeHead(404).end();
      const month = Number(match[1]) * 12 + Number(match[2]) - 1;
      const at = (m: number) => `/cal/${Math.floor(m / 12)}/${(m % 12) + 1}/`;
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(`Month ${month}`, [at(month + 1), at(month - 1), `?view=week&n=${month}`]));
    });
    // Relative links that nest forever: /nest/a/ links to a/, which links to a/ …
    site.route('/nest/*', respond(200, page('Nest', ['a/'])));
  });
  after(() => site.close());

  it('ends an endless calendar at the depth limit', async () => {
    const crawl = crawlSite(site.url('/cal/2024/1/'), { ...LOCAL, pathPrefix: '/cal/', maxDepth: 5 });
    const events = await collect(crawl);
    assert.equal(crawl.summary().status, 'complete');
    assert.ok(resources(events).length <= 25, `${resources(events).length} pages`);
    assert.ok(ofType(events, 'skipped').some((s) => s.reason === 'max-depth' && /deeper than 5 \(--max-depth\)/.test(s.message)));
    assert.ok(resources(events).every((r) => r.navigation.depth <= 5));
  });

  it('ends an endless calendar at the page limit, and stops with a resumable state', async () => {
    const crawl = crawlSite(site.url('/cal/2024/1/'), { ...LOCAL, pathPrefix: '/cal/', maxPages: 12 });
    const events = await collect(crawl);
    assert.equal(crawl.summary().pagesFetched, 12);
    assert.ok(resources(events).length >= 6, 'week views repeat their month and are skipped as duplicates');
    const stopped = ofType(events, 'stopped');
    assert.equal(stopped.length, 1);
    assert.equal(stopped[0]!.reason, 'max-pages');
    assert.match(stopped[0]!.hint, /--max-pages/);
    assert.equal(crawl.state().status, 'max-pages');
    assert.ok(crawl.state().frontier.length > 0);
  });

  it('refuses paths that keep nesting', async () => {
    const events = await collect(crawlSite(site.url('/nest/'), LOCAL));
    const trap = ofType(events, 'skipped').find((s) => s.reason === 'trap');
    assert.match(trap!.message, /repeats "a" 4 times/);
    assert.equal(resources(events).length, 1, 'every nested page has the same bytes, so only the first is handed out');
    assert.deepEqual(
      site.hits.filter((h) => h.path.startsWith('/nest/') && h.path.endsWith('/')).map((h) => h.path),
      ['/nest/', '/nest/a/', '/nest/a/a/', '/nest/a/a/a/'],
    );
  });
});
