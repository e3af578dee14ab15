import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseDocumentFile } from '../../src/library/document-file.js';
import { assertLibraryConsistent, mcdewey } from './library-state.js';
import { buildPdf, textContent } from './pdf-builder.js';

/**
 * Hostile HTML, Markdown and text documents through the real CLI, asserting on the Markdown file
 * that lands in the library:
 *
 * - a 20 MB Markdown document: added whole, in bounded chunks;
 * - 50,000 nested <div>s: a clear "nested too deeply" error (the renderer recursed until the stack
 *   overflowed); 5,000 nested <div>s: converted;
 * - latin-1 (windows-1252) HTML and Markdown without a charset, UTF-16 LE and BE with a byte order
 *   mark, UTF-16 without one, and UTF-8 with a few broken byte sequences: readable text (with a
 *   warning where the bytes were not what they claimed); binary junk named .md: a clear error;
 * - scripts, event handlers, `javascript:`/`data:` links, iframes, objects, SVG and MathML in
 *   HTML, Markdown and plain text: none survives as raw HTML or as a link in the written file;
 *   a script link in a PDF's text stays text (raw tags in PDF text are still written as they
 *   are: McDewey's renderer shows them as text, other Markdown viewers may not);
 * - two files of one batch that would be filed as the same document: the second is refused;
 * - pathological lines (100,000 spaces, backslashes, a heading of spaces) that made regular
 *   expressions backtrack for minutes: converted in well under a second each.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-hostile-text-'));
const data = path.join(sandbox, 'data');
const sources = path.join(sandbox, 'sources');
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

interface AddResult { file: string; status: string; error?: string; warnings: string[]; source_path?: string }

function add(folder: string, files: Record<string, string | Uint8Array>, dataDir = data): Map<string, AddResult> {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.join(sources, folder), { recursive: true });
    fs.writeFileSync(path.join(sources, folder, name), content);
  }
  const result = mcdewey(dataDir, ['add', path.join(sources, folder), '--vendor', 'Hostile', '--product', folder, '--version', '1', '--json']);
  const parsed = JSON.parse(result.stdout) as { results: AddResult[] };
  return new Map(parsed.results.map((r) => [path.basename(r.file), r]));
}

/** The page text of an added document, from its file in the library. */
function written(result: AddResult | undefined, dataDir = data): string {
  assert.equal(result?.status, 'added', JSON.stringify(result));
  const file = path.join(dataDir, 'library', result.source_path!);
  return parseDocumentFile(fs.readFileSync(file, 'utf8'), result.source_path!).pages.map((p) => p.markdown).join('\n');
}

test('a 20 MB Markdown document is added whole, in bounded chunks', async () => {
  const section = (i: number) => `## Section ${i}\n\n${`Paragraph ${i} about configuring the widget service and its many options. `.repeat(30)}\n\n`;
  let markdown = '# Enormous\n\n';
  for (let i = 0; markdown.length < 20 * 1_048_576; i++) markdown += section(i);
  const own = path.join(sandbox, 'enormous-data'); // its own library, so the other checks stay quick
  const results = add('enormous', { 'enormous.md': markdown }, own);
  const text = written(results.get('enormous.md'), own);
  assert.ok(text.length > 20_000_000, `${text.length} characters written`);
  const list = JSON.parse(mcdewey(own, ['list', '--json']).stdout) as { chunks: number };
  assert.ok(list.chunks > 5000, `${list.chunks} chunks`);
  await assertLibraryConsistent(own);
});

test('deeply nested HTML is converted, or refused with a clear error when it would overflow the stack', async () => {
  const nested = (depth: number) => `<html><body>${'<div>'.repeat(depth)}deep text ${depth}${'</div>'.repeat(depth)}</body></html>`;
  const results = add('nested', { 'deep-5000.html': nested(5000), 'deep-50000.html': nested(50_000), 'after.html': '<p>still here</p>' });
  assert.match(written(results.get('deep-5000.html')), /deep text 5000/);
  const refused = results.get('deep-50000.html')!;
  assert.equal(refused.status, 'failed');
  assert.match(refused.error!, /deep-50000\.html: the document is nested too deeply to convert \(the converter ran out of stack space\)\. Real documents are never nested this deeply/);
  assert.match(written(results.get('after.html')), /still here/);
  await assertLibraryConsistent(data);
});

test('wrong or missing encodings give readable text, or a clear error for binary data', async () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');
  const withBom = (bom: number[], text: string, encoding: 'utf16le' | 'utf16be') => {
    const le = Buffer.from(text, 'utf16le');
    return Buffer.concat([Buffer.from(bom), encoding === 'utf16le' ? le : le.swap16()]);
  };
  const mostlyUtf8 = Buffer.concat([
    Buffer.from('# Übersicht\n\nGrüße aus Köln, déjà vu, naïve café, smörgåsbord, Ærø. '.repeat(3)),
    Buffer.from([0xc3, 0x28, 0xff]),
    Buffer.from(' Ende.\n'),
  ]);
  const results = add('encodings', {
    'latin1-page.html': latin1('<html><head><title>Caf\xe9</title></head><body><p>R\xe9sum\xe9 na\xefve \x93quoted\x94 \x80 5</p></body></html>'),
    'latin1.md': latin1('# Caf\xe9\n\nR\xe9sum\xe9 na\xefve \x96 fa\xe7ade\n'),
    'utf16le-bom.md': withBom([0xff, 0xfe], '# Grüße\n\nAus Köln 日本語\n', 'utf16le'),
    'utf16be-bom.html': withBom([0xfe, 0xff], '<p>Grüße aus Köln 日本語</p>', 'utf16be'),
    'utf16le-no-bom.md': Buffer.from('# Hello UTF-16\n\nNo byte order mark here, Köln.\n', 'utf16le'),
    'mostly-utf8.md': mostlyUtf8,
    'binary.md': Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 0), Buffer.from('IHDR')]),
  });
  assert.match(written(results.get('latin1-page.html')), /Résumé naïve “quoted” € 5/);
  assert.match(results.get('latin1-page.html')!.warnings.join(), /windows-1252/);
  assert.match(written(results.get('latin1.md')), /# Café\n\nRésumé naïve – façade/);
  assert.match(written(results.get('utf16le-bom.md')), /# Grüße\n\nAus Köln 日本語/);
  assert.match(written(results.get('utf16be-bom.html')), /Grüße aus Köln 日本語/);
  const noBom = written(results.get('utf16le-no-bom.md'));
  assert.match(noBom, /# Hello UTF-16\n\nNo byte order mark here, Köln\./);
  assert.match(results.get('utf16le-no-bom.md')!.warnings.join(), /no byte order mark but its bytes are UTF-16LE/);
  const mixed = written(results.get('mostly-utf8.md'));
  assert.match(mixed, /Grüße aus Köln, déjà vu/, 'the valid UTF-8 is not garbled');
  assert.match(mixed, /\ufffd\(\ufffd Ende\./);
  assert.match(results.get('mostly-utf8.md')!.warnings.join(), /2 byte sequences are not valid UTF-8 and were replaced with \ufffd/);
  assert.match(results.get('binary.md')!.error!, /binary\.md: the file holds binary data, not text \(it contains NUL bytes\)/);
  for (const result of results.values()) {
    if (result.status !== 'added') continue;
    assert.doesNotMatch(fs.readFileSync(path.join(data, 'library', result.source_path!), 'utf8'), /[\u0000-\u0008\u000b\u000e-\u001f]/, `${result.file}: no control characters`);
  }
  await assertLibraryConsistent(data);
});

/**
 * Raw HTML of any kind (outside code) and links or images whose target could run script: what a
 * Markdown renderer could turn into something active. Code spans and fences show text literally.
 */
function activeContent(markdown: string): string[] {
  const prose = markdown.replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '').replace(/(`+)[^`]*?\1/g, '');
  const found: string[] = [];
  for (const match of prose.matchAll(/(?<!\\)<\/?[A-Za-z!?][^>\n]*>?/g)) found.push(`raw HTML: ${match[0]}`);
  for (const match of prose.matchAll(/\]\(\s*<?\s*(?:javascript|vbscript|data):[^)]*\)?/gi)) found.push(`link: ${match[0]}`);
  for (const match of prose.matchAll(/^\s*\[[^\]]+\]:\s*<?\s*(?:javascript|vbscript|data):.*$/gim)) found.push(`reference: ${match[0]}`);
  return found;
}

test('scripts, event handlers and javascript: links never reach the Markdown files', async () => {
  const html = `<html><head><script>alert(1)</script><title>Attack page</title></head><body>
    <h1 onclick="alert(2)">Title</h1>
    <p>Before <a href="javascript:alert(3)">click me</a> <a href="JaVaScRiPt:alert(4)">two</a> <a href="java&#x09;script:alert(5)">three</a></p>
    <img src=x onerror="alert(6)" alt="pic"><svg onload="alert(7)"><script>alert(8)</script></svg>
    <iframe src="javascript:alert(9)"></iframe><iframe srcdoc="<script>alert(10)</script>"></iframe>
    <div onmouseover="alert(11)">hover text</div><object data="javascript:alert(12)"></object><embed src="javascript:alert(13)">
    <form action="javascript:alert(14)"><input onfocus="alert(15)" autofocus></form>
    <a href="data:text/html,<script>alert(16)</script>">data link</a>
    <p>&lt;script&gt;alert(17)&lt;/script&gt; shown as text</p>
    <math><mi xlink:href="javascript:alert(18)">m</mi></math>
    <details open ontoggle="alert(19)"><summary>s</summary>d</details>
    <style>body{background:url(javascript:alert(20))}</style>
    <noscript><p title="</noscript><img src=x onerror=alert(21)>"></noscript>
    <pre><code>&lt;script&gt;alert("code sample")&lt;/script&gt;</code></pre>
  </body></html>`;
  const markdown = `# Doc

<script>alert(1)</script>

Text <script>alert(2)</script> inline and <img src=x onerror="alert(3)" alt="pic"> and <a href="javascript:alert(4)">link</a>.

[click](javascript:alert(5)) and [ref][r] and <javascript:alert(6)> and ![img](javascript:alert(7)) and [d](data:text/html;base64,PHNjcmlwdD4=)

[r]: javascript:alert(8)

<div onclick="alert(9)">div text</div>

<details ontoggle="alert(10)"><summary>s</summary></details>

<x-widget onmouseover="alert(11)">custom</x-widget>

<iframe src="javascript:alert(12)"></iframe>

<style>
body { x: url(javascript:alert(13)) }
</style>

<SCRIPT
>alert(14)</SCRIPT>

<a
href="javascript:alert(15)">multi-line</a>

<!-- <script>alert(16)</script> -->

<svg><animate onbegin="alert(17)" attributeName="x"/></svg>

\`\`\`html
<script>alert("a code sample stays a code sample")</script>
\`\`\`
`;
  const text = 'Plain <script>alert(1)</script> and <img src=x onerror=alert(2)>\n<!-- page 9 -->\n[x](javascript:alert(3)) ![y]( <data:text/html,x>)\n';
  const pdf = buildPdf([{ content: textContent(['Click [here](javascript:alert(1)) to continue.', '[img](vbscript:msgbox) and [ok](https://example.com)']) }]);
  const results = add('attacks', { 'attack-html.html': html, 'attack-md.md': markdown, 'attack-txt.txt': text, 'attack-pdf.pdf': pdf });
  for (const name of ['attack-html.html', 'attack-md.md', 'attack-txt.txt', 'attack-pdf.pdf']) {
    const page = written(results.get(name));
    assert.deepEqual(activeContent(page), [], `${name}:\n${page}`);
  }
  assert.match(written(results.get('attack-md.md')), /```html\n<script>alert\("a code sample stays a code sample"\)<\/script>\n```/);
  assert.match(written(results.get('attack-html.html')), /click me two three/);
  assert.match(written(results.get('attack-pdf.pdf')), /Click \[here\]\\\(javascript:alert\(1\)\) to continue\..*\[ok\]\(https:\/\/example\.com\)/s);
  await assertLibraryConsistent(data);
});

test('lines that made regular expressions backtrack for minutes convert in well under a second each', async () => {
  const lines = {
    'heading-of-spaces.md': `# a${' '.repeat(100_000)}b\n`,
    'indented-run.md': `${' '.repeat(100_000)}x\n`,
    'link-with-spaces.md': `[x](${' '.repeat(100_000)}x\n`,
    'backslashes-md.md': `${'\\'.repeat(100_000)}\n`,
    'backslashes-html.html': `<p>${'\\'.repeat(100_000)}</p>`,
    'backslashes-txt.txt': `${'\\'.repeat(100_000)}x\n`,
    'trailing-spaces.txt': `x${' '.repeat(100_000)}y\n`,
  };
  const started = Date.now();
  const results = add('backtracking', lines);
  for (const name of Object.keys(lines)) assert.equal(results.get(name)?.status, 'added', name);
  assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  await assertLibraryConsistent(data);
});

test('two files of one batch filed as the same document: the second is refused, nothing is silently replaced', async () => {
  const results = add('collisions', { 'guide.md': '# Guide\n\nFrom Markdown.\n', 'guide.html': '<p>From HTML.</p>' });
  assert.match(written(results.get('guide.html')), /From HTML\./);
  const refused = results.get('guide.md')!;
  assert.equal(refused.status, 'failed');
  assert.match(refused.error!, /guide\.md: would be filed as the same document \(collisions::1::collisions::guide\) as .*guide\.html, added earlier in this batch\. Rename one of them/);
  await assertLibraryConsistent(data);
});
