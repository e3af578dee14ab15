/** Markdown sources (MkDocs, DocFX / Microsoft Learn, plain CommonMark) to a single page of clean Markdown. */
import { decodeText } from './decode-text.js';
import { titleFromFileName } from './file-name-title.js';
import { convertAdmonitions } from './markdown-admonitions.js';
import { rewriteOutsideCodeSpans } from './markdown-code-spans.js';
import { rewriteDocfx } from './markdown-docfx.js';
import { escapeHtmlOpeners } from './markdown-escape.js';
import { rewriteProse, splitByCodeFences } from './markdown-fences.js';
import { splitFrontMatter } from './markdown-front-matter.js';
import { dropHtmlComments, dropUnsafeBlocks, htmlToText } from './markdown-html.js';
import { isReferenceDefinition, linksToText, referenceLabels } from './markdown-links.js';
import { setextToAtx } from './markdown-setext.js';
import { plainTitle } from './plain-title.js';
import type { Converter } from './types.js';

export const convertMarkdown: Converter = async ({ bytes, fileName }) => {
  const warnings: string[] = [];
  const decoded = decodeText(bytes);
  if (decoded.warning) warnings.push(decoded.warning);

  const { fields, body } = splitFrontMatter(decoded.text.replace(/\r\n?/g, '\n'));
  const source = convertAdmonitions(body.split('\n'));
  const labels = referenceLabels(splitByCodeFences(source).flatMap((s) => (s.code ? [] : s.lines)));
  let droppedCodeSamples = 0;
  const lines = rewriteProse(source, (prose) => {
    const docfx = rewriteDocfx(dropHtmlComments(prose));
    droppedCodeSamples += docfx.droppedCodeSamples;
    const text = dropUnsafeBlocks(docfx.lines).flatMap((line) => rewriteProseLine(line, labels));
    return tidyBlankLines(setextToAtx(text));
  });
  if (droppedCodeSamples > 0) {
    warnings.push(`${droppedCodeSamples} code sample(s) referenced with [!code-...] live in separate files and were not included`);
  }

  const markdown = lines.join('\n').replace(/^\n+/, '').replace(/\n+$/, '');
  if (!markdown.trim()) warnings.push('the document has no text content');
  const title = [fields['title'], firstHeading(lines)].map((t) => plainTitle(t ?? '')).find(Boolean) ?? titleFromFileName(fileName);
  return { title, pages: [{ number: 1, markdown: markdown ? `${markdown}\n` : '' }], warnings };
};

/** HTML to text, links to their text, then any remaining `<` that would open a tag or comment escaped. */
function rewriteProseLine(line: string, labels: ReadonlySet<string>): string[] {
  if (isReferenceDefinition(line)) return [];
  return htmlToText(line).map((text) => rewriteOutsideCodeSpans(linksToText(text, labels), escapeHtmlOpeners).trimEnd());
}

/** Collapses runs of blank lines to one; whitespace-only lines count as blank. */
function tidyBlankLines(lines: string[]): string[] {
  return lines.filter((line, i) => line.trim() !== '' || i === 0 || (lines[i - 1] ?? '').trim() !== '').map(
    (line) => (line.trim() ? line : ''),
  );
}

/** Text of the first `# ` heading outside code, without its closing `#`s. */
function firstHeading(lines: readonly string[]): string | undefined {
  for (const segment of splitByCodeFences(lines)) {
    if (segment.code) continue;
    const heading = segment.lines.map(levelOneHeading).find(Boolean);
    if (heading) return heading;
  }
  return undefined;
}

/**
 * The text of a `# ` heading line without its closing `#`s, as `/^ {0,3}# +(.+?)(?: +#+)? *$/`
 * would capture it, in linear time: that regex backtracks quadratically on a long run of spaces
 * (a 100,000-space heading took ten seconds).
 */
function levelOneHeading(line: string): string | undefined {
  const opener = /^ {0,3}# +/.exec(line);
  if (!opener) return undefined;
  const rest = line.slice(opener[0].length);
  let end = rest.length;
  while (end > 0 && rest[end - 1] === ' ') end--;
  let hashes = end;
  while (hashes > 0 && rest[hashes - 1] === '#') hashes--;
  if (hashes < end && hashes > 0 && rest[hashes - 1] === ' ') {
    end = hashes;
    while (end > 0 && rest[end - 1] === ' ') end--;
  }
  const text = rest.slice(0, end);
  return text && !/[\n\r\u2028\u2029]/.test(text) ? text : undefined;
}
