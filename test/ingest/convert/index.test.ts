import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { convertFile, formatOf, SUPPORTED_EXTENSIONS } from '../../../src/ingest/convert/index.js';
import { ConversionError } from '../../../src/ingest/convert/types.js';
import { corpusPath } from '../../support/corpus.js';

const bytesOf = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('formatOf', () => {
  it('maps extensions to formats, ignoring case and folders', () => {
    assert.equal(formatOf('manual.PDF'), 'pdf');
    assert.equal(formatOf('docs/bgp.html'), 'html');
    assert.equal(formatOf('page.htm'), 'html');
    assert.equal(formatOf('page.xhtml'), 'html');
    assert.equal(formatOf('README.md'), 'markdown');
    assert.equal(formatOf('a.markdown'), 'markdown');
    assert.equal(formatOf('a.mdx'), 'markdown');
    assert.equal(formatOf('notes.txt'), 'text');
    assert.equal(formatOf('notes.text'), 'text');
    assert.equal(formatOf('bgp.rst'), 'text');
    assert.equal(formatOf('_sources/bgp.rst.txt'), 'text');
  });

  it('returns undefined for unknown or missing extensions', () => {
    assert.equal(formatOf('archive.zip'), undefined);
    assert.equal(formatOf('Makefile'), undefined);
    assert.equal(formatOf('.md'), undefined);
  });

  it('lists every supported extension', () => {
    for (const extension of ['.pdf', '.html', '.htm', '.md', '.markdown', '.txt']) {
      assert.ok(SUPPORTED_EXTENSIONS.includes(extension), extension);
    }
  });
});

describe('convertFile', () => {
  it('dispatches HTML, Markdown and text and reports the format', async () => {
    const html = await convertFile({ bytes: bytesOf('<title>T</title><p>hi</p>'), fileName: 'a.html' });
    assert.equal(html.format, 'html');
    assert.equal(html.pages[0]?.markdown, 'hi\n');
    const markdown = await convertFile({ bytes: bytesOf('# Head\n'), fileName: 'a.md' });
    assert.equal(markdown.format, 'markdown');
    assert.equal(markdown.title, 'Head');
    const text = await convertFile({ bytes: bytesOf('# plain\n'), fileName: 'a.txt' });
    assert.equal(text.format, 'text');
    assert.equal(text.pages[0]?.markdown, '\\# plain\n');
  });

  it('converts a real corpus file', async () => {
    const file = corpusPath('markdown', 'frrouting-user-manual-html', '8.4.4', 'bgp.html');
    const document = await convertFile({ bytes: await readFile(file), fileName: 'bgp.html' });
    assert.equal(document.format, 'html');
    assert.equal(document.title, 'BGP');
  });

  it('rejects an unsupported extension with an actionable error', async () => {
    await assert.rejects(convertFile({ bytes: bytesOf('x'), fileName: 'data.xyz' }), (error: unknown) => {
      assert.ok(error instanceof ConversionError);
      assert.equal(error.fileName, 'data.xyz');
      assert.equal(error.problem, 'unsupported file type ".xyz"');
      assert.match(error.hint, /^Supported: \.pdf, \.html, \.htm, /);
      assert.match(error.message, /^data\.xyz: unsupported file type "\.xyz"\. Supported: /);
      return true;
    });
  });

  it('rejects a name without extension', async () => {
    await assert.rejects(convertFile({ bytes: bytesOf('x'), fileName: 'README' }), ConversionError);
  });

  it('sends a .pdf to the PDF converter even when the bytes are not a PDF', async () => {
    await assert.rejects(convertFile({ bytes: bytesOf('<html>not a pdf</html>'), fileName: 'fake.pdf' }));
  });
});
