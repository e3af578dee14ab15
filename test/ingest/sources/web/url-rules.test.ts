import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileGlob } from '../../../../src/ingest/sources/web/glob.js';
import { TrapGuard } from '../../../../src/ingest/sources/web/link-traps.js';
import { CrawlScope } from '../../../../src/ingest/sources/web/scope.js';
import { isWebAddress, normalizeUrl, urlShapeRefusal } from '../../../../src/ingest/sources/web/url-normalize.js';

const norm = (url: string, base?: string): string | undefined => normalizeUrl(url, base)?.href;

describe('normalizeUrl', () => {
  it('drops fragments, default ports and dot segments, and lower-cases scheme and host', () => {
    assert.equal(norm('HTTPS://Docs.Example.COM:443/a/./b/../c.html#part'), 'https://docs.example.com/a/c.html');
    assert.equal(norm('http://example.com:80'), 'http://example.com/');
    assert.equal(norm('http://example.com:8080/x'), 'http://example.com:8080/x');
    assert.equal(norm('http://example.com./x'), 'http://example.com/x');
  });

  it('resolves relative links against a base', () => {
    assert.equal(norm('../b/c.html#x', 'https://e.com/docs/a/index.html'), 'https://e.com/docs/b/c.html');
    assert.equal(norm('?page=2', 'https://e.com/list'), 'https://e.com/list?page=2');
    assert.equal(norm('//cdn.e.com/x.pdf', 'https://e.com/'), 'https://cdn.e.com/x.pdf');
  });

  it('keeps query order but drops tracking parameters', () => {
    assert.equal(norm('https://e.com/p?b=2&utm_source=x&a=1&UTM_Medium=y&gclid=z&fbclid=w'), 'https://e.com/p?b=2&a=1');
    assert.equal(norm('https://e.com/p?utm_campaign=x'), 'https://e.com/p');
    assert.equal(norm('https://e.com/p?'), 'https://e.com/p');
  });

  it('spells percent-escapes one way: upper case, unreserved characters decoded', () => {
    assert.equal(norm('https://e.com/%7euser/a%2fb/%41'), 'https://e.com/~user/a%2Fb/A');
    assert.equal(norm('https://e.com/a b'), 'https://e.com/a%20b');
  });

  it('returns undefined for what does not parse', () => {
    assert.equal(norm('http://'), undefined);
    assert.equal(norm('not a url'), undefined);
  });

  it('accepts only http(s) without credentials, saying why', () => {
    assert.equal(urlShapeRefusal(new URL('https://e.com/')), undefined);
    assert.match(urlShapeRefusal(new URL('ftp://e.com/x'))!.reason, /only http and https/);
    assert.match(urlShapeRefusal(new URL('file:///etc/passwd'))!.reason, /file: URLs are not fetched/);
    assert.match(urlShapeRefusal(new URL('https://user:pw@e.com/'))!.reason, /user name or password/);
  });

  it('tells web addresses from paths', () => {
    assert.ok(isWebAddress('https://docs.frrouting.org/'));
    assert.ok(isWebAddress(' HTTP://x'));
    assert.ok(!isWebAddress('./docs/https-guide.pdf'));
  });
});

describe('URL globs', () => {
  const matches = (pattern: string, url: string): boolean => compileGlob(pattern).matches(new URL(url));

  it('matches paths with *, **, ? and {a,b}', () => {
    assert.ok(matches('/docs/*.html', 'https://e.com/docs/a.html'));
    assert.ok(!matches('/docs/*.html', 'https://e.com/docs/sub/a.html'));
    assert.ok(matches('/docs/**', 'https://e.com/docs/sub/a.html'));
    assert.ok(matches('/docs/**/a.html', 'https://e.com/docs/a.html'));
    assert.ok(matches('/v?/x', 'https://e.com/v2/x'));
    assert.ok(matches('/{en,de}/**', 'https://e.com/de/x'));
    assert.ok(!matches('/{en,de}/**', 'https://e.com/fr/x'));
  });

  it('lets patterns without a leading slash match at any depth, and decodes paths', () => {
    assert.ok(matches('*.pdf', 'https://e.com/a/b/manual.pdf'));
    assert.ok(matches('changelog/**', 'https://e.com/docs/changelog/1.0'));
    assert.ok(matches('/docs/my guide.html', 'https://e.com/docs/my%20guide.html'));
  });

  it('matches whole URLs when the pattern has a scheme', () => {
    assert.ok(matches('https://e.com/docs/**', 'https://e.com/docs/x?y=1'));
    assert.ok(!matches('https://e.com/docs/**', 'https://other.com/docs/x'));
  });

  it('rejects unusable patterns', () => {
    assert.throws(() => compileGlob('  '), /empty pattern/);
    assert.throws(() => compileGlob('/a/{b,c'), /unclosed/);
  });
});

describe('CrawlScope', () => {
  const options = { include: [], exclude: [], defaultExcludes: true };
  const scope = new CrawlScope(new URL('https://docs.e.com/guide/v2/index.html'), options);
  const kind = (url: string): string => scope.verdict(new URL(url)).kind;

  it("stays on the start page's origin and folder", () => {
    assert.equal(scope.pathPrefix, '/guide/v2/');
    assert.equal(kind('https://docs.e.com/guide/v2/setup/install.html'), 'page');
    assert.equal(kind('https://docs.e.com/guide/v2'), 'page');
    assert.equal(kind('https://docs.e.com/guide/v1/install.html'), 'out');
    assert.equal(kind('https://docs.e.com/guide/v22/install.html'), 'out');
    assert.equal(kind('http://docs.e.com/guide/v2/x.html'), 'out');
    assert.equal(kind('https://docs.e.com:8443/guide/v2/x.html'), 'out');
    assert.equal(kind('https://e.com/guide/v2/x.html'), 'out');
  });

  it('takes a start path without a dot as a folder', () => {
    assert.equal(new CrawlScope(new URL('https://e.com/docs/guide'), options).pathPrefix, '/docs/guide/');
    assert.equal(new CrawlScope(new URL('https://e.com/'), options).pathPrefix, '/');
    assert.equal(new CrawlScope(new URL('https://e.com/a/b.html'), { ...options, pathPrefix: 'a/x' }).pathPrefix, '/a/x/');
  });

  it('fetches same-site PDFs outside the folder as leaves, and never assets', () => {
    assert.equal(kind('https://docs.e.com/downloads/manual.pdf'), 'pdf-leaf');
    assert.equal(kind('https://other.e.com/downloads/manual.pdf'), 'out');
    assert.equal(kind('https://docs.e.com/guide/v2/_images/fig.png'), 'out');
    assert.match((scope.verdict(new URL('https://docs.e.com/guide/v2/app.js')) as { reason: string }).reason, /\.js files are not documents/);
  });

  it('applies default excludes, include and exclude globs, and explains refusals', () => {
    assert.equal(kind('https://docs.e.com/guide/v2/_sources/index.rst.txt'), 'out');
    assert.equal(kind('https://docs.e.com/guide/v2/genindex.html'), 'out');
    const narrowed = new CrawlScope(new URL('https://e.com/docs/'), { include: ['/docs/api/**'], exclude: ['**/internal/**'], defaultExcludes: false });
    assert.equal(narrowed.verdict(new URL('https://e.com/docs/api/a.html')).kind, 'page');
    assert.equal(narrowed.verdict(new URL('https://e.com/docs/api/internal/a.html')).kind, 'out');
    assert.equal(narrowed.verdict(new URL('https://e.com/docs/guide/a.html')).kind, 'out');
    assert.equal(narrowed.verdict(new URL('https://e.com/docs/genindex.html')).kind, 'out', 'not included');
    const refusal = narrowed.refusal(new URL('https://e.com/docs/api/internal/a.html'));
    assert.match(refusal!.reason, /excluded by "\*\*\/internal\/\*\*"/);
    assert.match(refusal!.hint, /--path-prefix/);
  });
});

describe('TrapGuard', () => {
  it('refuses overlong URLs, repeated segments, deep paths and endless query variants', () => {
    const guard = new TrapGuard({ maxUrlLength: 100 });
    assert.equal(guard.check(new URL('https://e.com/docs/a/b.html')), undefined);
    assert.match(guard.check(new URL(`https://e.com/${'x'.repeat(120)}`))!, /over the 100 limit \(--max-url-length\)/);
    assert.match(guard.check(new URL('https://e.com/a/b/a/b/a/b/a/x'))!, /repeats "a" 4 times/);
    assert.equal(guard.check(new URL('https://e.com/a/b/a/b/a/b')), undefined, 'three times is still fine');
    assert.match(new TrapGuard({ maxUrlLength: 5000 }).check(new URL(`https://e.com/${Array.from({ length: 40 }, (_, i) => `s${i}`).join('/')}`))!, /40 segments deep/);
    for (let month = 1; month <= 50; month += 1) assert.equal(guard.check(new URL(`https://e.com/cal?m=${month}`)), undefined);
    assert.match(guard.check(new URL('https://e.com/cal?m=51'))!, /50 different query strings/);
  });
});
