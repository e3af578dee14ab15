import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeadingIds } from '../../src/library/heading-anchors.js';
import { renderMarkdown, shallowestHeading } from '../../src/web/markdown-html.js';

const render = (markdown: string) => renderMarkdown(markdown).value;

test('raw HTML in Markdown is shown as text, never passed through', () => {
  const out = render('<script>alert(1)</script>\n\nText <img src=x onerror="alert(1)"> here\n\n<iframe src="javascript:alert(1)"></iframe>');
  assert.ok(!/<script|<img|<iframe/i.test(out), out);
  assert.match(out, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(out, /&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;/);
});

test('links and images keep their text but never become links', () => {
  const out = render('[click me](javascript:alert(1)) and ![logo](https://evil.example/x.png) and <javascript:alert(1)> and [ok](https://example.com)');
  assert.ok(!out.includes('<a'), out);
  assert.ok(!out.includes('href'), out);
  assert.ok(!out.includes('src='), out);
  assert.match(out, /click me and logo and &lt;javascript:alert\(1\)&gt; and ok/);
});

test('markup characters inside code and emphasis stay escaped', () => {
  const out = render('Run `<b onclick="x">` then **<i>bold</i>** and *<u>em</u>*');
  assert.equal(out, '<p>Run <code>&lt;b onclick=&quot;x&quot;&gt;</code> then <strong>&lt;i&gt;bold&lt;/i&gt;</strong> and <em>&lt;u&gt;em&lt;/u&gt;</em></p>');
});

test('headings get ids and anchors, unique within a shared HeadingIds, and can be shifted', () => {
  const ids = new HeadingIds();
  const first = renderMarkdown('# Install & Run\n\n## Install & Run', { headingIds: ids, headingShift: 1 }).value;
  const second = renderMarkdown('### Install & Run', { headingIds: ids }).value;
  assert.match(first, /^<h2 id="h-install-run">Install &amp; Run <a class="anchor" href="#h-install-run"/);
  assert.match(first, /<h3 id="h-install-run-2">/);
  assert.match(second, /<h3 id="h-install-run-3">/);
  assert.match(renderMarkdown('###### Deep', { headingShift: 3 }).value, /^<h6 /);
});

test('a heading quoted in a blockquote gets no anchor and leaves the document\'s anchors as they are', () => {
  const out = render('# Setup\n\n> # Setup\n\n# Setup');
  assert.deepEqual([...out.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]), ['h-setup', 'h-setup-2']);
  assert.match(out, /<blockquote><h1>Setup<\/h1><\/blockquote>/);
});

test('fenced code keeps its text verbatim (escaped) and its language as a class', () => {
  const out = render('```bash\necho "<hi>" && ls\n# not a heading\n```\nafter');
  assert.equal(out, '<pre><code class="language-bash">echo &quot;&lt;hi&gt;&quot; &amp;&amp; ls\n# not a heading</code></pre>\n<p>after</p>');
});

test('a fence info string cannot inject attributes', () => {
  const out = render('```"><script>\ncode\n```');
  assert.equal(out, '<pre><code>code</code></pre>');
});

test('pipe tables render with a header, alignment classes and escaped pipes', () => {
  const out = render('| State | From | Note |\n|---|:---:|--:|\n| READY | NOT_READY | a \\| b |\n| TALKING | READY | <x> |');
  assert.match(out, /<thead><tr><th scope="col">State<\/th><th scope="col" class="align-center">From<\/th><th scope="col" class="align-right">Note<\/th><\/tr><\/thead>/);
  assert.match(out, /<td>READY<\/td><td class="align-center">NOT_READY<\/td><td class="align-right">a \| b<\/td>/);
  assert.match(out, /<td class="align-right">&lt;x&gt;<\/td>/);
});

test('tables without a delimiter row render as body rows only', () => {
  const out = render('| a | b |\n| c | d |');
  assert.equal(out, '<div class="table-wrap"><table><tbody><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></tbody></table></div>');
});

test('lists nest by indentation, ordered lists keep their start', () => {
  const out = render('- one\n  - one.a\n  continued\n- two\n\n3. three\n4. four');
  assert.equal(out, '<ul><li>one<ul><li>one.a\ncontinued</li></ul></li><li>two</li></ul>\n<ol start="3"><li>three</li><li>four</li></ol>');
});

test('blockquotes render their inner Markdown; paragraphs, rules and escapes work', () => {
  const out = render('> **Note** the `x`\n> second line\n\n---\n\n\\# not a heading, 1\\. not a list');
  assert.equal(out, '<blockquote><p><strong>Note</strong> the <code>x</code>\nsecond line</p></blockquote>\n<hr>\n<p># not a heading, 1. not a list</p>');
});

test('identifiers with underscores are not turned into emphasis', () => {
  assert.equal(render('RESERVED_OUTBOUND_PREVIEW and snake_case_name'), '<p>RESERVED_OUTBOUND_PREVIEW and snake_case_name</p>');
});

test('deeply nested quotes do not recurse without bound', () => {
  const out = render(`${'>'.repeat(5000)} deep`);
  assert.ok(out.startsWith('<blockquote>'));
  assert.ok(out.includes('deep'));
});

test('shallowestHeading ignores headings inside code fences', () => {
  assert.equal(shallowestHeading('```\n# comment\n```\n### Real\n#### Deeper'), 3);
  assert.equal(shallowestHeading('no headings'), undefined);
});
