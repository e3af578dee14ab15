import type { Refusal } from './refusal.js';

/**
 * One spelling per page, so the seen-set recognises a page however a link wrote it. The WHATWG
 * parser already lower-cases scheme and host, drops default ports, resolves `.` and `..`
 * segments and turns odd IPv4 notations into dotted quads; on top of that we drop the fragment
 * and a host's trailing dot, upper-case percent-escapes and decode the ones for unreserved
 * characters (RFC 3986 §6.2.2), and remove analytics tracking parameters.
 *
 * Query order is kept: servers may read parameters in order, so reordering could change a page.
 * Tracking parameters are dropped because they are set by campaign links to attribute a click,
 * never select content, and otherwise make one page look like many.
 */
export function normalizeUrl(input: string | URL, base?: string | URL): URL | undefined {
  let url: URL;
  try {
    url = new URL(input, base);
  } catch {
    return undefined;
  }
  url.hash = '';
  if (url.hostname.endsWith('.') && url.hostname.length > 1) url.hostname = url.hostname.slice(0, -1);
  url.pathname = normalizeEscapes(url.pathname);
  // Also turns a bare trailing `?` into no query at all.
  url.search = url.search ? withoutTracking(normalizeEscapes(url.search.slice(1))) : '';
  return url;
}

const TRACKING_EXACT = new Set(['gclid', 'dclid', 'gbraid', 'wbraid', 'fbclid', 'msclkid', 'mc_cid', 'mc_eid', '_hsenc', '_hsmi']);

function isTracking(name: string): boolean {
  const key = name.toLowerCase();
  return key.startsWith('utm_') || TRACKING_EXACT.has(key);
}

function withoutTracking(query: string): string {
  const kept = query.split('&').filter((pair) => pair !== '' && !isTracking(decodeSafely(pair.split('=')[0]!)));
  return kept.join('&');
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** Upper-case percent-escapes, and decode those of unreserved characters (RFC 3986 §6.2.2.2). */
export function normalizeEscapes(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** Only http and https, and no user name or password (they would be stored and sent on). */
export function urlShapeRefusal(url: URL): Refusal | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { reason: `${url.protocol.replace(/:$/, '')}: URLs are not fetched, only http and https`, hint: 'Give an http:// or https:// URL' };
  }
  if (url.username || url.password) {
    return {
      reason: 'the URL carries a user name or password, which would be stored in the library and sent on every redirect',
      hint: 'Remove the credentials from the URL; McDewey fetches public pages only (download protected documents and add the files instead)',
    };
  }
  return undefined;
}

/** True when what `mcdewey add` was given is a web address rather than a path. */
export function isWebAddress(input: string): boolean {
  return /^https?:\/\//i.test(input.trim());
}
