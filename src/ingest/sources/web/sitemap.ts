import zlib from 'node:zlib';
import { decodeCharacterReferences } from './character-references.js';

/**
 * A sitemap (sitemaps.org): a `<urlset>` of page locations, a `<sitemapindex>` of further
 * sitemaps, or the plain-text form with one URL per line; any of them may be gzipped. Only the
 * `<loc>` values matter here, in document order.
 */
export type Sitemap = { kind: 'urls'; urls: string[] } | { kind: 'index'; sitemaps: string[] };

export function parseSitemap(bytes: Uint8Array, maxBytes: number): Sitemap {
  const text = new TextDecoder('utf-8').decode(isGzip(bytes) ? zlib.gunzipSync(bytes, { maxOutputLength: maxBytes }) : bytes);
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (!trimmed.startsWith('<')) {
    return { kind: 'urls', urls: trimmed.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^https?:\/\//i.test(l)) };
  }
  const locations = [...trimmed.matchAll(/<(?:[\w-]+:)?loc\b[^>]*>([\s\S]*?)<\/(?:[\w-]+:)?loc\s*>/gi)].map((m) => xmlText(m[1]!));
  const isIndex = /<(?:[\w-]+:)?sitemapindex\b/i.test(trimmed.slice(0, 4096));
  return isIndex ? { kind: 'index', sitemaps: locations } : { kind: 'urls', urls: locations };
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b;
}

function xmlText(raw: string): string {
  const cdata = /^\s*<!\[CDATA\[([\s\S]*?)\]\]>\s*$/.exec(raw);
  return cdata ? cdata[1]!.trim() : decodeCharacterReferences(raw.trim());
}
