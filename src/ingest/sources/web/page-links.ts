import type { SourceFormat } from '../../convert/index.js';
import { decodeText } from '../../convert/decode-text.js';
import { extractHtmlLinks } from './html-links.js';
import { extractMarkdownLinks } from './markdown-links.js';
import { normalizeUrl } from './url-normalize.js';

/** Outgoing links of a fetched page, resolved to absolute normalized URLs, plus its directives. */
export interface PageLinks {
  links: URL[];
  canonical?: URL;
  /** A zero-delay meta refresh: the page is only a pointer to this URL. */
  redirectTo?: URL;
  noindex: boolean;
  nofollow: boolean;
}

export function pageLinks(format: SourceFormat, bytes: Uint8Array, pageUrl: URL, charset: string | undefined, agentToken: string): PageLinks {
  if (format === 'markdown') {
    return { links: resolveAll(extractMarkdownLinks(decodeText(bytes, charset).text), pageUrl), noindex: false, nofollow: false };
  }
  if (format !== 'html') return { links: [], noindex: false, nofollow: false };
  const found = extractHtmlLinks(decodeText(bytes, charset).text, agentToken);
  const base = (found.base && normalizeUrl(found.base, pageUrl)) || pageUrl;
  const refresh = found.refresh && found.refresh.delaySeconds === 0 ? normalizeUrl(found.refresh.url, base) : undefined;
  const links = resolveAll(found.links, base);
  if (found.refresh && !refresh) {
    const target = normalizeUrl(found.refresh.url, base);
    if (target) links.push(target);
  }
  return {
    links,
    canonical: found.canonical ? normalizeUrl(found.canonical, base) : undefined,
    redirectTo: refresh,
    noindex: found.noindex,
    nofollow: found.nofollow,
  };
}

function resolveAll(hrefs: readonly string[], base: URL): URL[] {
  const urls: URL[] = [];
  for (const href of hrefs) {
    // Same-page anchors are the commonest links of all and never lead anywhere new.
    if (href.startsWith('#')) continue;
    const url = normalizeUrl(href, base);
    if (url) urls.push(url);
  }
  return urls;
}

/** `text/html; charset=iso-8859-1` → `iso-8859-1`. */
export function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
}
