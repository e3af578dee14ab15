import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { convertHtml } from '../../../src/ingest/convert/html.js';
import type { ConvertedDocument } from '../../../src/ingest/convert/types.js';
import { corpusPath } from '../../support/corpus.js';

const frr = (name: string): string => corpusPath('markdown', 'frrouting-user-manual-html', '8.4.4', name);

async function convertFrr(name: string): Promise<ConvertedDocument> {
  return convertHtml({ bytes: await readFile(frr(name)), fileName: name });
}

async function convertString(html: string, fileName = 'page.html'): Promise<ConvertedDocument> {
  return convertHtml({ bytes: new TextEncoder().encode(html), fileName });
}

const markdownOf = (document: ConvertedDocument): string => document.pages.map((p) => p.markdown).join('\n');

describe('convertHtml on the FRR Sphinx manual', () => {
  let bgp: ConvertedDocument;
  let markdown: string;
  before(async () => {
    bgp = await convertFrr('bgp.html');
    markdown = markdownOf(bgp);
  });

  it('returns one page and takes the title from <title> without the site suffix', () => {
    assert.equal(bgp.title, 'BGP');
    assert.equal(bgp.pages.length, 1);
    assert.equal(bgp.pages[0]?.number, 1);
    assert.deepEqual(bgp.warnings, []);
  });

  it('turns section headings into ATX headings', () => {
    assert.match(markdown, /^# BGP$/m);
    assert.match(markdown, /^## Starting BGP$/m);
    assert.match(markdown, /^### Route Selection$/m);
  });

  it('keeps command definitions as bold lines followed by their description', () => {
    assert.match(markdown, /^\*\*`router bgp ASN vrf VRFNAME`\*\*\n\n`VRFNAME` is matched against VRFs/m);
    assert.match(markdown, /^\*\*`-p, --bgp_port <port>`\*\*$/m);
  });

  it('fences code blocks with the Sphinx highlight language', () => {
    assert.match(markdown, /^```frr\nrouter bgp 1\n neighbor 10\.0\.0\.1 remote-as 20\n/m);
    assert.match(markdown, /^```shell\n# \/usr\/lib\/frr\/bgpd -d -f/m);
  });

  it('renders ordered lists with their nested paragraphs', () => {
    assert.match(markdown, /^1\. \*\*Weight check\*\*\n\n {3}Prefer higher local weight routes to lower routes\.$/m);
    assert.match(markdown, /^10\. \*\*Already-selected external check\*\*$/m);
  });

  it('renders Sphinx admonitions as quoted notes', () => {
    assert.match(markdown, /^> \*\*Note:\*\* The separated nature of VRFs makes it possible/m);
  });

  it('drops sidebar, navigation, footer, permalinks and scripts', () => {
    for (const chrome of ['¶', 'Quick search', 'Previous topic', 'Table of Contents', 'Show Source', 'Navigation', 'Copyright', 'searchbox']) {
      assert.ok(!markdown.includes(chrome), `unexpected ${JSON.stringify(chrome)}`);
    }
  });

  it('keeps link text but never URLs', () => {
    assert.match(markdown, /may also be specified \(Common Invocation Options\)\./);
    assert.match(markdown, /BGP-4 is described in \*\*RFC 1771\*\* and updated by/);
    assert.ok(!markdown.includes('rfc1771.html'));
    assert.ok(!markdown.includes('](')); // no Markdown links at all
  });

  it('turns data tables into pipe tables', async () => {
    const pbr = markdownOf(await convertFrr('pbr.html'));
    assert.match(pbr, /^\| Key \| Description \| Type \|\n\| --- \| --- \| --- \|\n\| id \| Unique ID \| Integer \|$/m);
    const overview = markdownOf(await convertFrr('overview.html'));
    assert.match(overview, /^\| Daemon \/ Feature \| Linux \| OpenBSD \| FreeBSD \| NetBSD \|$/m);
    assert.match(overview, /^\| \*\*FRR Core\*\* \|  \|  \|  \|  \|$/m);
    assert.match(overview, /^\| Development \| dev@lists\.frrouting\.org \|$/m);
  });
});

describe('convertHtml on synthetic pages', () => {
  it('never emits script, style or noscript content', async () => {
    const document = await convertString(
      '<html><head><script>var secret = "<p>leak</p>";</script><style>p { color: red }</style></head>' +
        '<body><p>Visible</p><script>alert("x")</script><noscript>Enable JS</noscript></body></html>',
    );
    const markdown = markdownOf(document);
    assert.equal(markdown, 'Visible\n');
  });

  it('reduces links to their text, including javascript: links', async () => {
    const markdown = markdownOf(await convertString('<p>Click <a href="javascript:alert(1)">x</a> now.</p>'));
    assert.equal(markdown, 'Click x now.\n');
  });

  it('escapes decoded text that would read as HTML or Markdown structure', async () => {
    const markdown = markdownOf(
      await convertString('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><p># not a heading</p><p>&lt;!-- page 3 --&gt;</p>'),
    );
    assert.ok(!/(^|[^\\])<script/.test(markdown));
    assert.match(markdown, /^\\# not a heading$/m);
    assert.match(markdown, /^\\<!-- page 3 -->$/m);
  });

  it('prefers the MkDocs content area and drops its navigation', async () => {
    const html = `<html><head><title>Devices - NetBox Documentation</title></head><body>
      <header class="md-header"><nav>Site nav</nav></header>
      <div class="md-container"><main class="md-main"><div class="md-sidebar md-sidebar--primary">Primary nav</div>
      <div class="md-content"><article class="md-content__inner">
        <a href="edit" class="md-content__button">Edit</a>
        <h1 id="devices">Devices<a class="headerlink" href="#devices">¶</a></h1>
        <div class="admonition tip"><p class="admonition-title">Tip</p><p>Use a role.</p></div>
        <div class="language-python highlight"><pre><span></span><code>print(1)
</code></pre></div>
      </article></div></main></div><footer class="md-footer">Made with Material</footer></body></html>`;
    const document = await convertString(html);
    assert.equal(document.title, 'Devices');
    assert.equal(markdownOf(document), '# Devices\n\n> **Tip:** Use a role.\n\n```python\nprint(1)\n```\n');
  });

  it('renders nested and ordered lists, inline code, emphasis and images', async () => {
    const html = `<main><ol start="3"><li>Third <code>cmd | x</code><ul><li>inner <em>one</em></li></ul></li>
      <li><img src="a.png" alt="Diagram"> and <strong>bold</strong></li></ol></main>`;
    assert.equal(
      markdownOf(await convertString(html)),
      '3. Third `cmd | x`\n   - inner *one*\n4. [Diagram] and **bold**\n',
    );
  });

  it('escapes pipes and collapses line breaks in table cells', async () => {
    const html = `<table><tr><th>Option</th><th>Values</th></tr>
      <tr><td>mode</td><td><p>on | off</p><p>second<br>line</p></td></tr></table>`;
    assert.equal(
      markdownOf(await convertString(html)),
      '| Option | Values |\n| --- | --- |\n| mode | on \\| off second line |\n',
    );
  });

  it('keeps definition terms as bold lines and quotes blockquotes', async () => {
    const html = '<dl><dt>timeout</dt><dd><p>Seconds to wait.</p></dd></dl><blockquote><p>Quoted</p></blockquote>';
    assert.equal(markdownOf(await convertString(html)), '**timeout**\n\nSeconds to wait.\n\n> Quoted\n');
  });

  it('drops a table of contents block', async () => {
    const html = `<main><div class="contents topic"><p class="topic-title">Contents</p>
      <ul><li><a href="#a">Alpha</a></li><li><a href="#b">Beta</a></li></ul></div><h2 id="a">Alpha</h2><p>Text</p></main>`;
    assert.equal(markdownOf(await convertString(html)), '## Alpha\n\nText\n');
  });

  it('falls back to the first h1, then the file name, for the title', async () => {
    assert.equal((await convertString('<body><h1>Only Heading</h1><p>x</p></body>')).title, 'Only Heading');
    assert.equal((await convertString('<body><p>x</p></body>', 'docs/setup-guide.html')).title, 'setup-guide');
  });

  it('strips a site suffix only when it looks like the site', async () => {
    const title = async (t: string, h1 = ''): Promise<string> =>
      (await convertString(`<title>${t}</title><body><h1>${h1}</h1><p>x</p></body>`)).title;
    assert.equal(await title('BGP — FRR latest documentation'), 'BGP');
    assert.equal(await title('Install | Acme Docs'), 'Install');
    assert.equal(await title('Route Maps - Filtering', 'Something else'), 'Route Maps - Filtering');
    assert.equal(await title('Route Maps - Acme', 'Route Maps'), 'Route Maps');
  });

  it('decodes windows-1252 bytes when the file is not valid UTF-8', async () => {
    // "Café “quoted”" in windows-1252, with no charset declared.
    const bytes = Uint8Array.from([
      ...new TextEncoder().encode('<p>Caf'), 0xe9, 0x20, 0x93, ...new TextEncoder().encode('quoted'), 0x94,
      ...new TextEncoder().encode('</p>'),
    ]);
    const document = await convertHtml({ bytes, fileName: 'legacy.html' });
    assert.equal(markdownOf(document), 'Café “quoted”\n');
    assert.match(document.warnings.join('\n'), /windows-1252/);
  });

  it('trusts valid UTF-8 over a wrong declared charset and honours a declared one otherwise', async () => {
    const utf8 = new TextEncoder().encode('<meta charset="iso-8859-1"><p>Ünïcode ✓</p>');
    assert.equal(markdownOf(await convertHtml({ bytes: utf8, fileName: 'a.html' })), 'Ünïcode ✓\n');
    const latin1 = Uint8Array.from([...new TextEncoder().encode('<meta charset="iso-8859-1"><p>na'), 0xef, 0x76, 0x65]);
    const document = await convertHtml({ bytes: latin1, fileName: 'b.html' });
    assert.equal(markdownOf(document), 'naïve\n');
    assert.deepEqual(document.warnings, []);
  });

  it('warns when a page has no text', async () => {
    const document = await convertString('<html><body><nav>Menu</nav></body></html>');
    assert.equal(markdownOf(document), '');
    assert.match(document.warnings.join('\n'), /no text/);
  });
});
