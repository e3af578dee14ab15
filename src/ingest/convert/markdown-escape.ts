/**
 * Escaping for text that must read as prose once placed in Markdown: nothing in it may turn into
 * a heading, list, quote, fence, table row or raw HTML (including the library's `<!-- page N -->`
 * markers).
 */

/** Line starts that Markdown reads as structure, after at most three spaces of indentation. */
const STRUCTURAL_LINE_START: readonly RegExp[] = [
  /^#{1,6}(?=\s|$)/, // ATX heading
  /^>/, // blockquote
  /^[-+*](?=\s|$)/, // bullet item
  /^[-*_](?:\s*[-*_]){2,}\s*$/, // thematic break
  /^=+\s*$/, // setext underline
  /^\d{1,9}[.)](?=\s|$)/, // ordered item
  /^(?:`{3,}|~{3,})/, // code fence
  /^\|/, // table row
  /^\[[^\]]*\]:/, // link reference definition or footnote
];

/** Prefixes a backslash where the line would otherwise start a Markdown structure. */
export function escapeLineStart(line: string): string {
  const indent = /^ {0,3}/.exec(line)?.[0] ?? '';
  const rest = line.slice(indent.length);
  const match = STRUCTURAL_LINE_START.map((pattern) => pattern.exec(rest)).find((m) => m !== null);
  if (!match) return line;
  // An ordered-list marker is defused by escaping its punctuation; everything else by its first character.
  const numbered = /^(\d+)([.)])/.exec(rest);
  if (numbered?.[1] && numbered[2]) return `${indent}${numbered[1]}\\${rest.slice(numbered[1].length)}`;
  return `${indent}\\${rest}`;
}

/** Escapes every `<` that would open an HTML tag, comment or processing instruction and is not escaped yet. */
export function escapeHtmlOpeners(text: string): string {
  // The lookbehind comes after the `<`, so it runs only where there is one: placed first it was tried
  // at every offset, and a long run of backslashes took quadratic time.
  return text.replace(/<(?=[A-Za-z/!?])(?<=(?:^|[^\\])(?:\\\\)*<)/g, '\\<');
}

/**
 * Escapes characters that would turn text into emphasis or code: `*` and backticks always, `_`
 * unless inside a word (`snake_case` is safe), and backslashes that would escape what follows.
 */
export function escapeInlineText(text: string): string {
  return text
    .replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\')
    .replace(/[*`]/g, '\\$&')
    .replace(/_/g, (underscore, offset: number, whole: string) =>
      isWordCharacter(whole[offset - 1]) && isWordCharacter(whole[offset + 1]) ? underscore : '\\_',
    );
}

function isWordCharacter(character: string | undefined): boolean {
  return character !== undefined && /[\p{L}\p{N}]/u.test(character);
}

/** `](` opening the target of a link or image that would run script (or smuggle a page) when clicked. */
const SCRIPT_LINK_TARGET = /\]\((?=[\s<]*(?:javascript|vbscript|data):)/gi;

/**
 * Escapes the `(` of `[text](javascript:…)` so the link stays text in any Markdown renderer that
 * opens the library's files, not only in McDewey's own (which never emits links at all).
 */
export function defuseScriptLinks(text: string): string {
  return text.replace(SCRIPT_LINK_TARGET, ']\\(');
}

/** Makes one line of prose safe to place in Markdown as-is. */
export function escapeProseLine(line: string): string {
  return escapeLineStart(escapeHtmlOpeners(defuseScriptLinks(line)));
}
