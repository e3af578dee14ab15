import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { convertMarkdown } from '../../../src/ingest/convert/markdown.js';
import type { ConvertedDocument } from '../../../src/ingest/convert/types.js';
import { corpusPath } from '../../support/corpus.js';

async function convertCorpus(...parts: string[]): Promise<ConvertedDocument> {
  const file = corpusPath('markdown', ...parts);
  return convertMarkdown({ bytes: await readFile(file), fileName: parts.at(-1) ?? 'doc.md' });
}

async function convertString(markdown: string, fileName = 'doc.md'): Promise<ConvertedDocument> {
  return convertMarkdown({ bytes: new TextEncoder().encode(markdown), fileName });
}

const markdownOf = (document: ConvertedDocument): string => document.pages.map((p) => p.markdown).join('\n');

describe('convertMarkdown on NetBox (MkDocs)', () => {
  it('takes the title from the first heading and converts untitled admonitions', async () => {
    const device = await convertCorpus('netbox-docs', 'docs', 'models', 'dcim', 'device.md');
    const markdown = markdownOf(device);
    assert.equal(device.title, 'Devices');
    assert.equal(device.pages.length, 1);
    assert.equal(device.pages[0]?.number, 1);
    assert.match(markdown, /^# Devices\n/);
    assert.match(markdown, /^> \*\*Tip:\*\*\n> Devices with a height of more than one rack unit should be set/m);
    assert.ok(!markdown.includes('!!!'));
  });

  it('keeps link text and inline code but drops link targets', async () => {
    const markdown = markdownOf(await convertCorpus('netbox-docs', 'docs', 'models', 'dcim', 'device.md'));
    assert.match(markdown, /^The functional device role assigned to this device\.$/m);
    assert.match(markdown, /setting `Device\.status` under the `FIELD_CHOICES` configuration parameter\./);
    assert.ok(!markdown.includes('.md)'));
  });

  it('converts titled admonitions and removes MkDocs icons, attribute lists and images', async () => {
    const markdown = markdownOf(await convertCorpus('netbox-docs', 'docs', 'index.md'));
    assert.match(markdown, /^> \*\*Tip:\*\* NetBox Development\n>\n> Interested in contributing to NetBox\? Check out our GitHub repository to get started!$/m);
    assert.match(markdown, /^## Built for Networks$/m);
    assert.match(markdown, /^\[NetBox UI\]$/m);
    assert.ok(!markdown.includes(':material-'));
    assert.ok(!markdown.includes('{style='));
  });

  it('leaves fenced code untouched, HTML included', async () => {
    const source = await readFile(corpusPath('markdown', 'netbox-docs', 'docs', 'plugins', 'development', 'migration-v4.md'), 'utf8');
    const markdown = markdownOf(await convertCorpus('netbox-docs', 'docs', 'plugins', 'development', 'migration-v4.md'));
    const block = '```html title="Old"\n<div class="card">\n    <div class="card-body">\n';
    assert.ok(source.includes(block));
    assert.ok(markdown.includes(block));
  });
});

describe('convertMarkdown on the IIS docs (DocFX)', () => {
  it('prefers the front matter title over the first heading', async () => {
    const document = await convertCorpus('microsoft-iis-docs', 'iis', 'extensions', 'cors-module', 'cors-module-configuration-reference.md');
    assert.equal(document.title, 'CORS Module Configuration Reference');
    const markdown = markdownOf(document);
    assert.match(markdown, /^# IIS CORS module Configuration Reference\n/);
    assert.ok(!markdown.includes('ms.date'));
  });

  it('turns [!NOTE] alerts into bold notes, also inside list items, and decodes entities in the title', async () => {
    const document = await convertCorpus('microsoft-iis-docs', 'iis', 'configuration', 'system.ftpServer', 'log', 'index.md');
    const markdown = markdownOf(document);
    assert.equal(document.title, 'FTP Logging Options <log>');
    assert.match(markdown, /^> \*\*Note:\*\*\n> The FTP 7\.0 and FTP 7\.5 services shipped out-of-band/m);
    assert.match(markdown, /^ {4}> \*\*Note:\*\*\n {4}> To support ASP\.Membership authentication/m);
    assert.ok(!markdown.includes('[!NOTE]'));
  });

  it('drops code sample references with a warning', async () => {
    const document = await convertCorpus('microsoft-iis-docs', 'iis', 'configuration', 'system.ftpServer', 'log', 'index.md');
    assert.ok(!markdownOf(document).includes('[!code-'));
    assert.match(document.warnings.join('\n'), /^6 code sample\(s\) referenced with \[!code-\.\.\.\]/);
  });

  it('replaces product-name includes and flattens <br> lists in table cells', async () => {
    const markdown = markdownOf(await convertCorpus('microsoft-iis-docs', 'iis', 'wmi-provider', 'bindingelement-class.md'));
    assert.match(markdown, /^\|Client\| IIS 7\.0 on Windows Vista; IIS 7\.5 on Windows 7; IIS 8\.0 on Windows 8; IIS 10\.0 on Windows 10\|$/m);
    assert.ok(!markdown.includes('[!INCLUDE'));
    assert.ok(!markdown.includes('<br'));
  });
});

describe('convertMarkdown on the Juniper TechPost articles', () => {
  it('keeps link text with nested brackets and turns images into their alt text', async () => {
    const document = await convertCorpus('juniper-techpost', 'articles', 'mx301-a-powerful-filtering-gateway', 'article.md');
    const markdown = markdownOf(document);
    assert.equal(document.title, 'MX301 A Powerful Filtering Gateway');
    assert.match(markdown, /filtering topic\. The first article \[1\]\.$/m);
    assert.match(markdown, /^\[Typical network architecture with a network filtering gateway\.\]$/m);
    assert.match(markdown, /^```\nlab@rtme-mx301-01> show isis database brief level 2 \|match LSPs/m);
  });
});

describe('convertMarkdown on synthetic input', () => {
  it('drops HTML comments from prose (a page-marker lookalike among them), never from code', async () => {
    const markdown = markdownOf(await convertString('Intro\n\n<!-- page 3 -->\n\n```\n<!-- page 4 -->\n```\n'));
    assert.equal(markdown, 'Intro\n\n```\n<!-- page 4 -->\n```\n');
  });

  it('drops comments inline and across lines, keeps them in code spans, and keeps an opener that never closes as text', async () => {
    const source = [
      '# Guide', '', '<!-- Generated from config.ts; do not edit by hand. -->', '',
      'Set the timeout <!-- TODO: check the default --> before you deploy, or `<!-- keep -->` it.', '',
      '<!--', 'A hidden note', 'over three lines', '--> The text after it.', '',
      'Write <!-- to open a comment in HTML.', '', 'The end.',
    ].join('\n');
    const markdown = markdownOf(await convertString(source));
    assert.equal(markdown, [
      '# Guide', '', 'Set the timeout  before you deploy, or `<!-- keep -->` it.', '',
      ' The text after it.', '', 'Write \\<!-- to open a comment in HTML.', '', 'The end.', '',
    ].join('\n'));
  });

  it('reads simple front matter and ignores the rest without failing', async () => {
    const source = '---\ntitle: \'It\'\'s "quoted"\'\ntags:\n  - a\n  - b\ndescription: >\n  folded\n---\n# Heading\n\nBody\n';
    const document = await convertString(source);
    assert.equal(document.title, 'It\'s "quoted"');
    assert.equal(markdownOf(document), '# Heading\n\nBody\n');
  });

  it('falls back to the file name when there is neither front matter title nor heading', async () => {
    assert.equal((await convertString('Just text.\n', 'guides/setup.md')).title, 'setup');
  });

  it('normalises CRLF and converts Setext headings, leaving thematic breaks alone', async () => {
    const markdown = markdownOf(await convertString('Title\r\n=====\r\n\r\nSection\r\n-------\r\ntext\r\n\r\n---\r\n\r\nend\r\n'));
    assert.equal(markdown, '# Title\n\n## Section\ntext\n\n---\n\nend\n');
  });

  it('reduces links to text, javascript: links included, and strips raw HTML but keeps its text', async () => {
    const source = [
      'Click [x](javascript:alert(1)) or <a href="javascript:void(0)">y</a>.',
      '',
      '<div class="grid">',
      '  <p>Card <strong>text</strong></p>',
      '</div>',
      '',
      '<script>',
      'alert("never")',
      '</script>',
      '',
      'The <system.webServer> element and `<code>` stay.',
    ].join('\n');
    const markdown = markdownOf(await convertString(source));
    assert.equal(markdown, 'Click x or y.\n\nCard **text**\n\nThe \\<system.webServer> element and `<code>` stay.\n');
  });

  it('converts nested MkDocs admonitions with code and collapsible ones', async () => {
    const source = '??? warning "Careful"\n    Outer\n\n    !!! note\n        Inner\n\n    ```py\n    x = 1\n    ```\n\nAfter\n';
    assert.equal(
      markdownOf(await convertString(source)),
      '> **Warning:** Careful\n>\n> Outer\n>\n> > **Note:**\n> > Inner\n>\n> ```py\n> x = 1\n> ```\n\nAfter\n',
    );
  });

  it('keeps tabs inside code fences', async () => {
    const markdown = markdownOf(await convertString('```make\nall:\n\tcc main.c\n```\n'));
    assert.equal(markdown, '```make\nall:\n\tcc main.c\n```\n');
  });

  it('decodes windows-1252 bytes that are not valid UTF-8', async () => {
    const bytes = Uint8Array.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a]);
    const document = await convertMarkdown({ bytes, fileName: 'cafe.md' });
    assert.equal(document.title, 'Café');
    assert.match(document.warnings.join('\n'), /windows-1252/);
  });
});
