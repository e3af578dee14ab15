/**
 * Link targets of a Markdown page (or an llms.txt, which is Markdown), in order: inline links
 * `[text](target "title")`, autolinks `<https://…>` and reference definitions `[id]: target`.
 * Images and anything inside code (fenced blocks, inline code spans) are not links.
 */
const INLINE_OR_AUTOLINK =
  /(!?)\[(?:[^[\]\n]|\[[^[\]\n]*\])*\]\(\s*(?:<([^<>\n]*)>|((?:[^\s()]|\([^\s()]*\))+))(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)|<(https?:\/\/[^\s<>]+)>/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]+\]:\s*(?:<([^<>\n]*)>|(\S+))/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const CODE_SPAN = /(`+)[^`]+?\1/g;

export function extractMarkdownLinks(text: string): string[] {
  const links: string[] = [];
  let fence: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const marker = FENCE.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      continue;
    }
    if (marker) {
      fence = marker;
      continue;
    }
    const definition = REFERENCE_DEFINITION.exec(line);
    if (definition) {
      links.push((definition[1] ?? definition[2])!);
      continue;
    }
    for (const match of line.replace(CODE_SPAN, '').matchAll(INLINE_OR_AUTOLINK)) {
      if (match[1] === '!') continue;
      const target = match[2] ?? match[3] ?? match[4];
      if (target) links.push(target);
    }
  }
  return links;
}
