/**
 * MkDocs admonitions (`!!! note "Title"` with an indented body, and collapsible `???` ones) become
 * blockquotes that read the same in any Markdown renderer: `> **Note:** Title`.
 */
import { closesFence, openingFence } from './markdown-fences.js';

/** `!!! kind "Title"`; the kind may be missing when a title is quoted (`!!! "Changed in v4.4"`). */
const OPENER = /^([ \t]*)(?:!!!|\?\?\?\+?)[ \t]+(?:([\w-]+)(?:[ \t]+(.*?))?|("[^"]*"))[ \t]*$/;
const BODY_INDENT = 4;

export function convertAdmonitions(lines: readonly string[]): string[] {
  const output: string[] = [];
  let fence: ReturnType<typeof openingFence>;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (fence) {
      output.push(line);
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    fence = openingFence(line);
    const opener = fence ? null : OPENER.exec(line);
    if (!opener) {
      output.push(line);
      continue;
    }
    const indent = opener[1] ?? '';
    const bodyStart = i + 1;
    const bodyEnd = endOfBody(lines, bodyStart, columns(indent) + BODY_INDENT);
    const body = convertAdmonitions(
      lines.slice(bodyStart, bodyEnd).map((l) => dedent(l, columns(indent) + BODY_INDENT)),
    );
    output.push(...quoted(indent, heading(opener[2] ?? 'note', opener[3] ?? opener[4]), body));
    i = bodyEnd - 1;
  }
  return output;
}

/** Index just past the body: indented lines and the blank lines between them. */
function endOfBody(lines: readonly string[], start: number, minimumIndent: number): number {
  let end = start;
  for (let i = start; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (!line.trim()) continue;
    if (columns(/^[ \t]*/.exec(line)?.[0] ?? '') < minimumIndent) break;
    end = i + 1;
  }
  return end;
}

function heading(kind: string, rawTitle: string | undefined): string {
  const label = `**${kind.charAt(0).toUpperCase()}${kind.slice(1).toLowerCase()}:**`;
  const title = (rawTitle ?? '').replace(/^"(.*)"$/, '$1').trim();
  return title ? `${label} ${title}` : label;
}

/** A titled admonition keeps its title on its own paragraph; an untitled one runs into its body. */
function quoted(indent: string, headingLine: string, body: string[]): string[] {
  const titled = !headingLine.endsWith(':**');
  const text = [headingLine, ...(titled && body.length > 0 ? [''] : []), ...body];
  return text.map((line) => (line.trim() ? `${indent}> ${line}` : `${indent}>`));
}

function columns(whitespace: string): number {
  return [...whitespace].reduce((width, ch) => width + (ch === '\t' ? 4 : 1), 0);
}

/** Removes up to `width` columns of leading whitespace, counting a tab as four. */
function dedent(line: string, width: number): string {
  let removed = 0;
  let i = 0;
  while (i < line.length && removed < width && (line[i] === ' ' || line[i] === '\t')) {
    removed += line[i] === '\t' ? 4 : 1;
    i++;
  }
  return line.slice(i);
}
