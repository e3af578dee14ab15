import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { sniffFormat } from '../../../../src/ingest/sources/web/content-sniff.js';
import { fileNameFor } from '../../../../src/ingest/sources/web/file-name.js';
import { extractHtmlLinks } from '../../../../src/ingest/sources/web/html-links.js';
import { extractMarkdownLinks } from '../../../../src/ingest/sources/web/markdown-links.js';
import { pathParents } from '../../../../src/ingest/sources/web/path-parents.js';
import { parseSitemap } from '../../../../src/ingest/sources/web/sitemap.js';
import { corpusPath } from '../../../support/corpus.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('extractHtmlLinks', () => {
  it('reads links in document order, decoding references, and the page directives', () => {
    const html = `<html><head>
      <base href="/docs/"><link rel="stylesheet" href="a.css"><LINK REL="Canonical" HREF="https://e.com/docs/page.html">
      <meta name="robots" content="NOINDEX, follow"></head><body>
      <a href="one.html">1</a> <a class=x href='two.html?a=1&amp;b=2'>2</a> <A HREF=three.html>3</A>
      <area href="map.html"><a name="anchor-only">x</a><a href="">empty</a>
      <frameset><frame src="frame.html"></frameset>
      <a data-x="a>b" href="four.html">4</a><a href="five.html" href="ignored.html">5</a></body></html>`;
    const found = extractHtmlLinks(html, 'McDewey');
    assert.deepEqual(found.links, ['one.html', 'two.html?a=1&b=2', 'three.html', 'map.html', 'frame.html', 'four.html', 'five.html']);
    assert.equal(found.base, '/docs/');
    assert.equal(found.canonical, 'https://e.com/docs/page.html');
    assert.equal(found.noindex, true);
    assert.equal(found.nofollow, false);
  });

  it('finds no links in comments, scripts, styles, textareas or templates', () => {
    const html = `<!-- <a href="c1.html"> --><script>document.write('<a href="s.html">')</script>
      <style>a[href="st.html"]{}</style><textarea><a href="t.html"></textarea><template><a href="tpl.html"></template>
      <SCRIPT type="text/x">"</script>"<a href="real.html">real</a>`;
    assert.deepEqual(extractHtmlLinks(html, 'McDewey').links, ['real.html']);
  });

  it('reads meta refresh redirects and our own robots meta', () => {
    const found = extractHtmlLinks('<meta http-equiv="Refresh" content="0; URL=\'new/place.html\'"><meta name="mcdewey" content="nofollow">', 'McDewey');
    assert.deepEqual(found.refresh, { url: 'new/place.html', delaySeconds: 0 });
    assert.equal(found.nofollow, true);
    assert.equal(extractHtmlLinks('<meta http-equiv="refresh" content="30">', 'McDewey').refresh, undefined);
    assert.deepEqual(extractHtmlLinks('<meta http-equiv="refresh" content="5;url=x.html">', 'x').refresh, { url: 'x.html', delaySeconds: 5 });
    assert.equal(extractHtmlLinks('<meta name="robots" content="none">', 'x').noindex, true);
  });

  it('survives unterminated markup and stays fast on hostile input', () => {
    assert.deepEqual(extractHtmlLinks('<a href="x.html"', 'x').links, ['x.html']);
    assert.deepEqual(extractHtmlLinks('<a href="unclosed>text', 'x').links, ['unclosed>text']);
    assert.deepEqual(extractHtmlLinks('<!-- never closed <a href="x">', 'x').links, []);
    const hostile = '<a x="'.repeat(50_000) + '<' + '<a '.repeat(50_000);
    const started = performance.now();
    extractHtmlLinks(hostile, 'x');
    assert.ok(performance.now() - started < 1000, 'linear in the input');
  });

  it('reads every navigation link of a real Sphinx page', () => {
    const html = readFileSync(corpusPath('markdown', 'frrouting-user-manual-html', '8.4.4', 'index.html'), 'utf8');
    const found = extractHtmlLinks(html, 'McDewey');
    const pages = new Set(found.links.map((l) => l.split('#')[0]).filter((l) => l && l.endsWith('.html')));
    for (const name of ['overview.html', 'bgp.html', 'zebra.html', 'frr-reload.html', 'genindex.html']) assert.ok(pages.has(name), name);
    assert.ok(found.links.indexOf('overview.html') < found.links.indexOf('bgp.html'), 'document order');
  });
});

describe('extractMarkdownLinks', () => {
  it('reads inline links, autolinks and reference definitions in order, but not images or code', () => {
    const text = [
      '# Title',
      'See [the intro](intro.md "Intro") and <https://e.com/abs>, then [nested [brackets]](a/b.md#x).',
      '![diagram](img/d.png) `[not](code.md)` [ref]: ../ref.md',
      '[def]: <def target.md>',
      '```',
      '[fenced](fenced.md)',
      '```',
      '~~~~ python',
      '[tilde](t.md)',
      '~~~~',
      '[after](after.md) and [paren](docs/a_(b).md)',
    ].join('\n');
    assert.deepEqual(extractMarkdownLinks(text), ['intro.md', 'https://e.com/abs', 'a/b.md#x', 'def target.md', 'after.md', 'docs/a_(b).md']);
  });

  it('reads an llms.txt', () => {
    const text = '# Project\n\n> Summary\n\n## Docs\n\n- [Quick start](https://e.com/start.md): first steps\n- [API](https://e.com/api.md)\n\n## Optional\n\n- [Changelog](https://e.com/changes.md)\n';
    assert.deepEqual(extractMarkdownLinks(text), ['https://e.com/start.md', 'https://e.com/api.md', 'https://e.com/changes.md']);
  });
});

describe('parseSitemap', () => {
  const urlset = `<?xml version="1.0" encoding="UTF-8"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <url><loc>https://e.com/b.html</loc><lastmod>2024-01-01</lastmod></url>
      <url><loc> https://e.com/a.html?x=1&amp;y=2 </loc></url>
      <url><loc><![CDATA[https://e.com/c.html]]></loc></url>
    </urlset>`;

  it('reads a urlset in order, with entities and CDATA', () => {
    assert.deepEqual(parseSitemap(bytes(urlset), 1e6), { kind: 'urls', urls: ['https://e.com/b.html', 'https://e.com/a.html?x=1&y=2', 'https://e.com/c.html'] });
  });

  it('reads a sitemap index, a gzipped sitemap and the plain-text form', () => {
    const index = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://e.com/s1.xml.gz</loc></sitemap></sitemapindex>';
    assert.deepEqual(parseSitemap(bytes(index), 1e6), { kind: 'index', sitemaps: ['https://e.com/s1.xml.gz'] });
    assert.deepEqual(parseSitemap(zlib.gzipSync(urlset), 1e6).kind, 'urls');
    assert.deepEqual(parseSitemap(bytes('https://e.com/1\nnot a url\nhttps://e.com/2\n'), 1e6), { kind: 'urls', urls: ['https://e.com/1', 'https://e.com/2'] });
  });

  it('refuses a gzip bomb past the size limit', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(5_000_000, 0x20));
    assert.throws(() => parseSitemap(bomb, 1_000_000));
  });
});

describe('sniffFormat', () => {
  const sniff = (contentType: string | undefined, body: string | Uint8Array, url = 'https://e.com/x') =>
    sniffFormat({ contentType, bytes: typeof body === 'string' ? bytes(body) : body, url: new URL(url) });
  const pdf = readFileSync(corpusPath('pdf', 'paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf'));

  it('trusts PDF and binary signatures over headers', () => {
    assert.deepEqual(sniff('application/octet-stream', pdf), { format: 'pdf' });
    assert.deepEqual(sniff('text/html', pdf, 'https://e.com/download?id=3'), { format: 'pdf' });
    assert.match((sniff('application/pdf', '<!DOCTYPE html><title>Login</title>') as { unsupported: string }).unsupported, /not one/);
    assert.match((sniff('text/plain', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0])) as { unsupported: string }).unsupported, /binary/);
  });

  it('uses a specific content type, then the extension, then HTML signatures', () => {
    assert.deepEqual(sniff('text/html; charset=utf-8', '# not really'), { format: 'html' });
    assert.deepEqual(sniff('text/markdown', '# Title'), { format: 'markdown' });
    assert.deepEqual(sniff('text/plain; charset=utf-8', '<p align="center">logo</p>\n# Title', 'https://raw.e.com/README.md'), { format: 'markdown' });
    assert.deepEqual(sniff('text/plain', 'plain words', 'https://e.com/notes.txt'), { format: 'text' });
    assert.deepEqual(sniff(undefined, '\uFEFF  <!doctype HTML><html>', 'https://e.com/page'), { format: 'html' });
    assert.deepEqual(sniff('application/octet-stream', '<html><body>x', 'https://e.com/p'), { format: 'html' });
    assert.deepEqual(sniff('text/plain', 'just text', 'https://e.com/p'), { format: 'text' });
    assert.deepEqual(sniff('text/x-rst', 'Title\n=====', 'https://e.com/p'), { format: 'text' });
  });

  it('refuses what is not a document', () => {
    for (const type of ['image/png', 'text/css', 'application/json', 'application/javascript', 'video/mp4']) {
      assert.ok('unsupported' in sniff(type, 'x'), type);
    }
    assert.ok('unsupported' in sniff('application/zip', 'PK..'));
  });
});

describe('fileNameFor and pathParents', () => {
  it('names files by the last segment with the real format as extension', () => {
    assert.equal(fileNameFor(new URL('https://e.com/docs/bgp.html'), 'html'), 'bgp.html');
    assert.equal(fileNameFor(new URL('https://e.com/docs/bgp'), 'html'), 'bgp.html');
    assert.equal(fileNameFor(new URL('https://e.com/docs/guide/'), 'html'), 'guide.html');
    assert.equal(fileNameFor(new URL('https://e.com/'), 'html'), 'index.html');
    assert.equal(fileNameFor(new URL('https://e.com/get?id=7'), 'pdf'), 'get.pdf');
    assert.equal(fileNameFor(new URL('https://e.com/README.md'), 'markdown'), 'README.md');
    assert.equal(fileNameFor(new URL('https://e.com/a/My%20Guide%3F.pdf'), 'pdf'), 'My Guide-.pdf');
    assert.equal(fileNameFor(new URL('https://e.com/a/..%2F..%2Fetc'), 'text'), 'etc.txt');
  });

  it('hangs listed pages under the nearest listed ancestor, else the start page', () => {
    const root = new URL('https://e.com/docs/');
    const urls = ['https://e.com/docs/guide/index.html', 'https://e.com/docs/guide/install.html', 'https://e.com/docs/guide/deep/a/b.html', 'https://e.com/docs/api.html', 'https://e.com/docs/api/x.html'].map((u) => new URL(u));
    const parents = pathParents(urls, root);
    assert.equal(parents.get('https://e.com/docs/guide/index.html'), 'https://e.com/docs/');
    assert.equal(parents.get('https://e.com/docs/guide/install.html'), 'https://e.com/docs/guide/index.html');
    assert.equal(parents.get('https://e.com/docs/guide/deep/a/b.html'), 'https://e.com/docs/guide/index.html');
    assert.equal(parents.get('https://e.com/docs/api/x.html'), 'https://e.com/docs/api.html');
  });
});
