/** Titles are shown and searched as plain text, so Markdown syntax and HTML entities are resolved. */
import { parse } from 'node-html-parser';

export function plainTitle(text: string): string {
  // Escaping `<` first makes the parser treat the whole string as text and only decode entities.
  const decoded = parse(text.replace(/</g, '&lt;')).text;
  return decoded
    .replace(/`+/g, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/^[*_]+|[*_]+$/g, '')
    .replace(/\\([!-/:-@[-`{-~])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
