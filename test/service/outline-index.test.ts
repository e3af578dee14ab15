import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIMITS } from '../../src/library/limits.js';
import { buildOutlineIndex } from '../../src/service/outline-index.js';
import type { PageText } from '../../src/service/page-text.js';
import { outline } from '../../src/service/reading.js';

/**
 * The outline of a late page reads only the pages holding its window's headings (issue 9: it read
 * every page from the document's start), and gives exactly the window the scan from the start
 * gives, for every offset and page, code blocks spanning pages included.
 */

/** Page text served from strings, counting the characters read. */
function pagesText(pages: string[]): PageText & { charsRead: number } {
  const text = {
    charsRead: 0,
    pageLengths: () => pages.map((markdown, i) => ({ number: i + 1, chars: markdown.length })),
    pageSlice: (number: number, start: number, length: number) => {
      const markdown = pages[number - 1];
      if (markdown === undefined) return undefined;
      const slice = markdown.slice(start, start + length);
      text.charsRead += slice.length;
      return { number, chars: markdown.length, text: slice };
    },
    pagePieces: function* (number: number) {
      const markdown = pages[number - 1] ?? '';
      for (let at = 0; at < Math.max(1, markdown.length); at += 1000) {
        text.charsRead += Math.min(1000, markdown.length - at);
        yield markdown.slice(at, at + 1000);
      }
    },
  };
  return text;
}

/** 400 pages: headings of every level, pages without any, code blocks (with "headings" inside) that run across pages, long lines. */
function document(): string[] {
  const pages: string[] = [];
  let heading = 0;
  for (let p = 0; p < 400; p++) {
    const lines: string[] = [];
    if (p % 7 === 3) lines.push('Prose only on this page. '.repeat(40));
    else {
      for (let k = 0; k < (p % 5) * 3 + 1; k++) lines.push(`${'#'.repeat((k % 3) + 1)} Heading ${heading++}`, 'Some text.', '');
    }
    if (p % 11 === 5) lines.push('```', '# not a heading (code)');
    if (p % 11 === 6) lines.push('# still code', '```', '## After the code');
    if (p % 13 === 0) lines.push(`# ${'x'.repeat(400)}`, '#', '#no space', `    # indented`);
    pages.push(lines.join('\n'));
  }
  return pages;
}

describe('the outline index', () => {
  test('every window, by offset and by page, equals the scan from the start', async () => {
    const pages = document();
    const index = (await buildOutlineIndex(pagesText(pages)))!;
    const plain = pagesText(pages);
    const total = index.total;
    assert.ok(total > 3 * LIMITS.outlineEntries, `${total} headings: several windows`);
    for (const offset of [0, 1, LIMITS.outlineEntries - 1, LIMITS.outlineEntries, 777, total - 1, total, total + 5]) {
      assert.deepEqual(outline(pagesText(pages), { offset }, index), outline(plain, { offset }), `offset ${offset}`);
    }
    for (let page = 1; page <= 402; page += 3) {
      assert.deepEqual(outline(pagesText(pages), { page }, index), outline(plain, { page }), `page ${page}`);
    }
    assert.deepEqual(outline(pagesText(pages), {}, index), outline(plain, {}));
  });

  test('the outline of the last page reads only the pages holding its window', async () => {
    const pages = document();
    const whole = pages.reduce((n, p) => n + p.length, 0);
    const index = (await buildOutlineIndex(pagesText(pages)))!;
    const withIndex = pagesText(pages);
    const window = outline(withIndex, { page: 399 }, index);
    const plain = pagesText(pages);
    assert.deepEqual(window, outline(plain, { page: 399 }));
    const windowPages = new Set(window.entries.map((e) => e.page));
    const windowChars = pages.filter((_, i) => windowPages.has(i + 1)).reduce((n, p) => n + p.length, 0);
    assert.ok(withIndex.charsRead <= windowChars, `read ${withIndex.charsRead} characters for a window on pages of ${windowChars}`);
    assert.ok(plain.charsRead > whole * 0.9, 'the scan from the start read the whole document');
  });

  test('a document without headings, and an empty one', async () => {
    for (const pages of [['Just prose.', '```', 'code'], []]) {
      const index = (await buildOutlineIndex(pagesText(pages)))!;
      assert.equal(index.total, 0);
      for (const options of [{}, { page: 2 }, { offset: 3 }]) {
        assert.deepEqual(outline(pagesText(pages), options, index), outline(pagesText(pages), options));
      }
    }
  });
});
