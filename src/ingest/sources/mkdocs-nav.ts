/**
 * Reads the `nav:` of an MkDocs configuration: the site's reading order and its section titles.
 * Only that block is read, with the small YAML subset MkDocs navigation is written in (nested
 * `- Title: 'page.md'`, `- Section:` with items below, `- 'page.md'`); the rest of the file, with
 * its tags and anchors, is never interpreted. External links in the nav are not pages and are skipped.
 */

export interface NavPage {
  /** Path of the page below the docs folder, with forward slashes. */
  file: string;
  /** Titles of the sections above the page, outermost first. */
  trail: string[];
}

export interface MkDocsNav {
  /** The docs folder relative to the configuration file (`docs_dir`, default `docs`). */
  docsDir: string;
  pages: NavPage[];
}

const ITEM = /^( *)- +(.*)$/;
const TOP_LEVEL_KEY = /^([A-Za-z_][\w-]*):(?:\s|$)/;

/** The nav of an mkdocs.yml text, or undefined when it has none. */
export function parseMkDocsNav(yaml: string): MkDocsNav | undefined {
  const lines = yaml.replace(/\r\n?/g, '\n').split('\n');
  let docsDir = 'docs';
  let navStart = -1;
  for (const [i, line] of lines.entries()) {
    const key = TOP_LEVEL_KEY.exec(line)?.[1];
    if (key === 'docs_dir') docsDir = unquote(line.slice(line.indexOf(':') + 1).trim()) || docsDir;
    if (key === 'nav' && navStart < 0) navStart = i + 1;
  }
  if (navStart < 0) return undefined;
  const pages: NavPage[] = [];
  // Sections open at an item's indentation; an item closes every section at or deeper than it.
  const open: { indent: number; title: string }[] = [];
  for (const line of lines.slice(navStart)) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (/^\S/.test(line)) break; // the next top-level key ends the nav
    const item = ITEM.exec(line);
    if (!item) continue;
    const indent = item[1]!.length;
    while (open.length > 0 && open.at(-1)!.indent >= indent) open.pop();
    const { key, value } = splitEntry(stripComment(item[2]!));
    const trail = open.map((s) => s.title);
    if (key !== undefined && value === '') open.push({ indent, title: key });
    else if (value && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) pages.push({ file: value.replace(/^\.?\//, ''), trail });
  }
  return { docsDir, pages };
}

/** `Title: 'page.md'` → key and value; `'page.md'` → value only; `Section:` → key and ''. */
function splitEntry(text: string): { key?: string; value: string } {
  const separator = findSeparator(text);
  if (separator < 0) return { value: unquote(text.trim()) };
  return { key: unquote(text.slice(0, separator).trim()), value: unquote(text.slice(separator + 1).trim()) };
}

/** The first `:` followed by a space or the end, outside quotes. */
function findSeparator(text: string): number {
  return findOutsideQuotes(text, (i) => text[i] === ':' && (i + 1 === text.length || text[i + 1] === ' '));
}

/** A comment starts at a `#` after a space, outside quotes. */
function stripComment(text: string): string {
  const at = findOutsideQuotes(text, (i) => text[i] === '#' && i > 0 && /\s/.test(text[i - 1]!));
  return at < 0 ? text : text.slice(0, at).trimEnd();
}

function findOutsideQuotes(text: string, matches: (index: number) => boolean): number {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (matches(i)) {
      return i;
    }
  }
  return -1;
}

function unquote(text: string): string {
  const match = /^(['"])(.*)\1$/.exec(text);
  if (!match) return text;
  return match[1] === "'" ? match[2]!.replace(/''/g, "'") : match[2]!.replace(/\\"/g, '"');
}
