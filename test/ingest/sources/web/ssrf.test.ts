import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { crawlSite } from '../../../../src/ingest/sources/web/crawler.js';
import { fetchUrl } from '../../../../src/ingest/sources/web/fetch-url.js';
import type { Resolver } from '../../../../src/ingest/sources/web/resolver.js';
import { WebSourceError } from '../../../../src/ingest/sources/web/web-source-error.js';
import { collect, LOCAL, LOCAL_FETCH, ofType } from './support/crawl-helpers.js';
import { page, redirect, respond, startTestSite, type TestSite } from './support/test-site.js';

/**
 * The site under test is on 127.0.0.1, which the tests allow by network (127.0.0.1/32). A second
 * server listens on 127.0.0.2 *on the same port*, standing in for a private service: any request
 * that reaches it proves a check was bypassed.
 */
describe('server-side request forgery protection', () => {
  let site: TestSite;
  let victim: TestSite;
  /** Absent where the machine has no IPv6 loopback (some containers). */
  let victimV6: TestSite | undefined;
  before(async () => {
    site = await startTestSite();
    victim = await startTestSite([{ path: '/*', handler: respond(200, page('Private service')) }], { host: '127.0.0.2', port: site.port });
    victimV6 = await startTestSite([{ path: '/*', handler: respond(200, page('Private service over IPv6')) }], { host: '::1', port: site.port }).catch(() => undefined);
    const targets: Record<string, string> = {
      'loopback-2': `http://127.0.0.2:${site.port}/admin`,
      'odd-notation': `http://0x7f.0.0.2:${site.port}/admin`,
      metadata: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'metadata-name': 'http://metadata.google.internal/computeMetadata/v1/',
      'ipv6-loopback': `http://[::1]:${site.port}/admin`,
      'mapped-loopback': `http://[::ffff:127.0.0.2]:${site.port}/admin`,
      localhost: `http://localhost:${site.port}/admin`,
      credentials: `http://user:secret@127.0.0.1:${site.port}/docs/`,
    };
    for (const [name, location] of Object.entries(targets)) site.route(`/docs/to-${name}`, redirect(location));
    site.route('/docs/', respond(200, page('Docs', Object.keys(targets).map((name) => `to-${name}`))));
    site.route('/docs/page.html', respond(200, page('Public page')));
  });
  after(async () => {
    await Promise.all([site.close(), victim.close(), victimV6?.close()]);
  });

  it('refuses a start URL on a private address unless allowed, naming the flag', async () => {
    const before = site.hits.length;
    await assert.rejects(collect(crawlSite(site.url('/docs/'))), (error: unknown) => {
      assert.ok(error instanceof WebSourceError);
      assert.equal(error.reason, 'blocked-address');
      assert.match(error.message, /127\.0\.0\.1, a loopback address \(this machine\); refused/);
      assert.match(error.message, /--allow-private/);
      return true;
    });
    await assert.rejects(fetchUrl(site.url('/docs/page.html')), /--allow-private-hosts/);
    assert.equal(site.hits.length, before, 'not even robots.txt was requested');
    const allowed = await fetchUrl(site.url('/docs/page.html'), { allowPrivate: true });
    assert.equal(allowed.type, 'resource');
  });

  it('refuses every redirect to a private, loopback or metadata address, even with the start host allowed', async () => {
    const resolved: string[] = [];
    const resolver: Resolver = async (host) => {
      resolved.push(host);
      return [{ address: '127.0.0.2', family: 4 }];
    };
    const expectations: Record<string, RegExp> = {
      'loopback-2': /127\.0\.0\.2, a loopback address/,
      'odd-notation': /127\.0\.0\.2, a loopback address/,
      metadata: /169\.254\.169\.254, a cloud metadata service address.*credentials/,
      'metadata-name': /metadata\.google\.internal is a cloud metadata service name/,
      'ipv6-loopback': /::1, a loopback address/,
      'mapped-loopback': /::ffff:7f00:2, a loopback address \(this machine\), as IPv4-mapped IPv6 for 127\.0\.0\.2/,
      localhost: /localhost is this machine \(loopback\)/,
    };
    // A single-URL fetch follows redirects to any site, so only the address checks stand in the way.
    for (const [name, pattern] of Object.entries(expectations)) {
      await assert.rejects(fetchUrl(site.url(`/docs/to-${name}`), LOCAL_FETCH, { resolver }), (error: unknown) => {
        assert.ok(error instanceof WebSourceError, name);
        assert.equal(error.reason, 'blocked-address', name);
        assert.match(error.problem, pattern, name);
        assert.match(error.hint, /--allow-private/, name);
        return true;
      });
    }
    await assert.rejects(fetchUrl(site.url('/docs/to-credentials'), LOCAL_FETCH), /user name or password/);
    // A crawl refuses them too (they also leave its scope).
    const events = await collect(crawlSite(site.url('/docs/'), LOCAL, { resolver }));
    assert.equal(ofType(events, 'failed').length, Object.keys(expectations).length + 1);
    assert.equal(victim.hits.length, 0, 'nothing reached 127.0.0.2');
    assert.equal(victimV6?.hits.length ?? 0, 0, 'nothing reached ::1');
    assert.deepEqual(resolved, [], 'metadata and localhost names are refused without asking DNS');
  });

  it('refuses metadata addresses even with allowPrivate', async () => {
    const result = fetchUrl(site.url('/docs/to-metadata'), { allowPrivate: true, retries: 0 });
    await assert.rejects(result, /cloud metadata service address.*--allow-private does not lift this/s);
    const loopback = await fetchUrl(site.url('/docs/to-loopback-2'), { allowPrivate: true });
    assert.equal(loopback.type === 'resource' && loopback.resource.finalUrl, `http://127.0.0.2:${site.port}/admin`, 'allowPrivate does lift loopback');
    victim.hits.length = 0;
  });

  it('pins each connection to the address it checked, so DNS rebinding cannot reach a private one', async () => {
    // A rebinding resolver: an allowed address first, the private service on every later query.
    let queries = 0;
    const rebinding: Resolver = async () => (queries++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '127.0.0.2', family: 4 }]);
    const url = `http://docs.rebind.test:${site.port}/docs/page.html`;
    const first = await fetchUrl(url, LOCAL_FETCH, { resolver: rebinding });
    assert.equal(first.type === 'resource' && new TextDecoder().decode(first.resource.bytes), page('Public page'));
    assert.equal(queries, 1, 'one resolution per request: the checked answer is the one used');
    await assert.rejects(fetchUrl(url, LOCAL_FETCH, { resolver: rebinding }), /docs\.rebind\.test resolves to 127\.0\.0\.2, a loopback address/);
    assert.equal(victim.hits.length, 0, 'the private service was never connected to');

    let crawlQueries = 0;
    const rebindAfterRobots: Resolver = async () => (crawlQueries++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '127.0.0.2', family: 4 }]);
    await assert.rejects(collect(crawlSite(`http://docs.rebind.test:${site.port}/docs/`, LOCAL, { resolver: rebindAfterRobots })), (error: unknown) => {
      assert.ok(error instanceof WebSourceError);
      assert.equal(error.reason, 'blocked-address');
      return true;
    });
    assert.equal(victim.hits.length, 0);
  });

  it('refuses a host when any of its addresses is private', async () => {
    const mixed: Resolver = async () => [
      { address: '127.0.0.1', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    await assert.rejects(fetchUrl(`http://mixed.test:${site.port}/docs/page.html`, LOCAL_FETCH, { resolver: mixed }), /mixed\.test resolves to 10\.0\.0\.7, a private address/);
  });

  it('lets a host on the allow-list resolve to a private address', async () => {
    const intranet: Resolver = async () => [{ address: '127.0.0.2', family: 4 }];
    const result = await fetchUrl(`http://docs.intranet:${site.port}/anything`, { allowPrivateHosts: ['docs.intranet'] }, { resolver: intranet });
    assert.equal(result.type === 'resource' && new TextDecoder().decode(result.resource.bytes), page('Private service'));
    victim.hits.length = 0;
  });

  it('refuses URLs that are not http(s) or that carry credentials', async () => {
    await assert.rejects(fetchUrl('file:///etc/passwd'), /file: URLs are not fetched/);
    await assert.rejects(fetchUrl(`http://user:pw@127.0.0.1:${site.port}/docs/`, LOCAL_FETCH), /user name or password/);
    assert.throws(() => crawlSite('gopher://example.com/'), /only http and https/);
    assert.throws(() => crawlSite('not a url'), /not a valid URL/);
    assert.throws(() => crawlSite('https://example.com/', { maxPages: 0 }), /--max-pages: /);
    assert.throws(() => crawlSite('https://example.com/', { allowPrivateHosts: ['10.0.0.0/99'] } as never), (error: unknown) => error instanceof WebSourceError);
  });
});
