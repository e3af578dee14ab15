/** Plain text (and reStructuredText, read as text) to a single page of Markdown that renders as the same text. */
import { decodeText } from './decode-text.js';
import { titleFromFileName } from './file-name-title.js';
import { escapeProseLine } from './markdown-escape.js';
import { plainTitle } from './plain-title.js';
import type { Converter } from './types.js';

/** A first line longer than this is a sentence, not a title. */
const MAX_TITLE_LENGTH = 100;
/** Lines that cannot be a title: reST directives and comments (`.. _label:`), underlines (`=====`). */
const NOT_A_TITLE = /^(?:\.\.(?:\s|$)|([=\-~^"'`#*+:._])\1{2,}\s*$)/;

export const convertText: Converter = async ({ bytes, fileName }) => {
  const warnings: string[] = [];
  const decoded = decodeText(bytes);
  if (decoded.warning) warnings.push(decoded.warning);

  const lines = decoded.text
    .replace(/\r\n?|\f/g, '\n')
    .split('\n');
  const markdown = collapseBlankLines(toMarkdownLines(lines)).join('\n').trim();
  if (!markdown) warnings.push('the document has no text content');

  const firstLine = lines.map((line) => line.trim()).find((line) => line && !NOT_A_TITLE.test(line));
  const title = firstLine && firstLine.length < MAX_TITLE_LENGTH ? plainTitle(firstLine) : '';
  return {
    title: title || titleFromFileName(fileName),
    pages: [{ number: 1, markdown: markdown ? `${markdown}\n` : '' }],
    warnings,
  };
};

/**
 * Escapes prose lines. Indented lines after a blank line are already an indented code block in
 * Markdown, which shows text literally, so they stay untouched (escapes there would show).
 */
function toMarkdownLines(lines: readonly string[]): string[] {
  let inCode = false;
  let previousBlank = true;
  return lines.map((line) => {
    const blank = !line.trim();
    const indented = /^(?: {4}|\t)/.test(line);
    if (!blank) inCode = indented && (inCode || previousBlank);
    previousBlank = blank;
    if (blank) return '';
    return inCode ? line : escapeProseLine(line.trimEnd());
  });
}

function collapseBlankLines(lines: readonly string[]): string[] {
  return lines.filter((line, i) => line !== '' || (i > 0 && lines[i - 1] !== ''));
}
