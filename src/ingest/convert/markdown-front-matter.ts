/**
 * YAML front matter at the top of a Markdown file. Only flat `key: value` lines are read; anything
 * else (lists, nested maps, block scalars) is skipped without failing.
 */

export interface FrontMatter {
  fields: Record<string, string>;
  /** The Markdown after the front matter. */
  body: string;
}

const OPENING = /^---[ \t]*\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*$/m;
const FIELD = /^([A-Za-z_][\w.-]*)[ \t]*:[ \t]*(.*)$/;

/** Splits off front matter; text without a closed `---` block is all body. Expects LF line endings. */
export function splitFrontMatter(text: string): FrontMatter {
  const opening = OPENING.exec(text);
  if (!opening) return { fields: {}, body: text };
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) return { fields: {}, body: text };
  const yaml = rest.slice(0, closing.index);
  // A thematic break pair around prose is not front matter.
  if (yaml.trim() && !/^[\w.-]+[ \t]*:/m.test(yaml)) return { fields: {}, body: text };
  const body = rest.slice(closing.index + closing[0].length).replace(/^\n/, '');
  return { fields: parseFlatFields(yaml), body };
}

function parseFlatFields(yaml: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of yaml.split('\n')) {
    const match = FIELD.exec(line);
    if (!match?.[1]) continue;
    const value = unquote(stripComment(match[2] ?? '').trim());
    if (value && !/^[|>][+-]?$/.test(value)) fields[match[1]] = value;
  }
  return fields;
}

/** Removes a trailing ` # comment` from an unquoted value. */
function stripComment(value: string): string {
  return /^\s*["']/.test(value) ? value : value.replace(/\s+#.*$/, '');
}

function unquote(value: string): string {
  const double = /^"(.*)"$/.exec(value);
  if (double?.[1] !== undefined) return double[1].replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  const single = /^'(.*)'$/.exec(value);
  if (single?.[1] !== undefined) return single[1].replace(/''/g, "'");
  return value;
}
