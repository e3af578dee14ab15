/**
 * HTML built from tagged templates. Every interpolated value is escaped unless it is already
 * `SafeHtml` (the result of another `html` template or of an explicit `raw()`), so document text,
 * labels, ids and query echoes can never become markup by accident.
 */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

/** A value a template accepts: text (escaped), safe HTML, or lists of them; nullish and false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Marks a trusted fragment (built by this module's callers from escaped parts) as HTML. */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Joins fragments with an escaped separator. */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(separator)));
}
