/** Picks an HTML page's title: `<title>` without the site suffix, else the first `<h1>`. */

/** Separators between page and site name, tried from the most to the least telling. */
const SEPARATORS = [' — ', ' – ', ' | ', ' · ', ' :: ', ' - '];

/** Words that mark the part after a separator as the site, not the page ("FRR latest documentation"). */
const SITE_WORDS = /\b(?:documentation|docs|manual|guide|handbook|wiki|reference|knowledge base|latest|v?\d+(?:\.\d+)+)\b/i;

/** " - " also appears inside real titles ("BGP - Route Maps"), so it needs stronger evidence. */
const HYPHEN_SITE_WORDS = /\b(?:documentation|docs)\b/i;

export function pageTitle(
  documentTitle: string | undefined,
  firstHeading: string | undefined,
  siteName: string | undefined,
): string | undefined {
  const title = clean(documentTitle);
  const heading = clean(firstHeading);
  if (!title) return heading || undefined;
  for (const separator of SEPARATORS) {
    const at = title.lastIndexOf(separator);
    if (at <= 0) continue;
    const page = title.slice(0, at).trim();
    const site = title.slice(at + separator.length).trim();
    if (isSiteSuffix(page, site, separator, heading, clean(siteName))) return page;
  }
  return title;
}

function isSiteSuffix(page: string, site: string, separator: string, heading: string, siteName: string): boolean {
  if (heading && sameText(page, heading)) return true;
  if (siteName && sameText(site, siteName)) return true;
  return (separator === ' - ' ? HYPHEN_SITE_WORDS : SITE_WORDS).test(site);
}

function clean(text: string | undefined): string {
  return (text ?? '').replace(/[\s\u00a0]+/g, ' ').replace(/¶/g, '').trim();
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
