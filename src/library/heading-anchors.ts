/**
 * The anchor id of a heading: what the viewer puts on the heading element and what outline links,
 * section citations and `?section=` point at. It is a pure function of the heading texts in
 * document order, so re-adding an unchanged document keeps every anchor (and every link to it).
 */

/** A heading's readable id (`h-` prefix: never collides with chunk ids or other ids on a page). */
export function headingSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');
  return `h-${slug || 'section'}`;
}

/** Gives each heading of a document a unique anchor: the second "Route Selection" is `h-route-selection-2`. */
export class HeadingIds {
  private readonly seen = new Map<string, number>();

  next(text: string): string {
    const base = headingSlug(text);
    const count = (this.seen.get(base) ?? 0) + 1;
    this.seen.set(base, count);
    return count === 1 ? base : `${base}-${count}`;
  }
}
