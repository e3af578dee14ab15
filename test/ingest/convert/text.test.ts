import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { convertText } from '../../../src/ingest/convert/text.js';
import type { ConvertedDocument } from '../../../src/ingest/convert/types.js';
import { corpusPath } from '../../support/corpus.js';

async function convertString(text: string, fileName = 'notes.txt'): Promise<ConvertedDocument> {
  return convertText({ bytes: new TextEncoder().encode(text), fileName });
}

const markdownOf = (document: ConvertedDocument): string => document.pages.map((p) => p.markdown).join('\n');

describe('convertText', () => {
  it('keeps paragraphs and makes one page', async () => {
    const document = await convertString('Release notes\n\nFirst paragraph\ncontinues here.\n\n\n\nSecond paragraph.\n');
    assert.equal(document.title, 'Release notes');
    assert.equal(document.pages.length, 1);
    assert.equal(document.pages[0]?.number, 1);
    assert.equal(markdownOf(document), 'Release notes\n\nFirst paragraph\ncontinues here.\n\nSecond paragraph.\n');
  });

  it('escapes line starts that Markdown would read as structure', async () => {
    const source = ['# not a heading', '- not a list', '1. not ordered', '> not a quote', '| not | a table |', '=====', '```', '<!-- page 3 -->', 'a <b>tag</b>'].join('\n');
    const markdown = markdownOf(await convertString(`Title\n\n${source}\n`));
    assert.equal(
      markdown,
      'Title\n\n\\# not a heading\n\\- not a list\n1\\. not ordered\n\\> not a quote\n\\| not | a table |\n\\=====\n\\```\n\\<!-- page 3 -->\na \\<b>tag\\</b>\n',
    );
  });

  it('leaves indented blocks alone, since Markdown shows them literally', async () => {
    const markdown = markdownOf(await convertString('Example:\n\n    # comment\n    <tag>\n'));
    assert.equal(markdown, 'Example:\n\n    # comment\n    <tag>\n');
  });

  it('uses the file name as title when the first line is long', async () => {
    const long = 'word '.repeat(30).trim();
    assert.equal((await convertString(`${long}\n`, 'docs/readme.txt')).title, 'readme');
  });

  it('reads reStructuredText as text, skipping labels and overlines for the title', async () => {
    const file = corpusPath('markdown', 'frrouting-user-manual-html', '8.4.4', '_sources', 'bgp.rst.txt');
    const document = await convertText({ bytes: await readFile(file), fileName: 'bgp.rst.txt' });
    assert.equal(document.title, 'BGP');
    assert.match(markdownOf(document), /^\\\*\*\*\nBGP\n\\\*\*\*$/m);
  });

  it('decodes windows-1252 bytes that are not valid UTF-8, with a warning', async () => {
    const bytes = Uint8Array.from([0x96, 0x20, 0x35, 0x80, 0x0a]); // "– 5€"
    const document = await convertText({ bytes, fileName: 'price.txt' });
    assert.equal(markdownOf(document), '– 5€\n');
    assert.match(document.warnings.join('\n'), /windows-1252/);
  });

  it('drops a UTF-8 byte order mark', async () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Hello\n')]);
    const document = await convertText({ bytes, fileName: 'bom.txt' });
    assert.equal(document.title, 'Hello');
    assert.equal(markdownOf(document), 'Hello\n');
  });
});
