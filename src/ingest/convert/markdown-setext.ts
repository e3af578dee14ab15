/** Setext headings (a line underlined with `===` or `---`) rewritten as ATX `#` headings. */

const UNDERLINE = /^ {0,3}(={2,}|-{2,})\s*$/;
/** Lines that cannot be a setext heading's text: blank, list items, quotes, tables, ATX headings, code. */
const NOT_HEADING_TEXT = /^(?:\s*$| {4,}|\t|\s*(?:[-*+]|\d+[.)])\s|\s*[>|#])/;

/** Expects prose lines only (no fenced code). A `---` after a blank line stays a thematic break. */
export function setextToAtx(lines: readonly string[]): string[] {
  const output: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const next = UNDERLINE.exec(lines[i + 1] ?? '');
    const previous = output.at(-1);
    const startsParagraph = previous === undefined || !previous.trim() || previous.startsWith('#');
    if (next?.[1] && startsParagraph && !NOT_HEADING_TEXT.test(line)) {
      output.push(`${next[1].startsWith('=') ? '#' : '##'} ${line.trim()}`);
      i++;
      continue;
    }
    output.push(line);
  }
  return output;
}
