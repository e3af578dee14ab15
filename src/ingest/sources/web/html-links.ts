import { decodeCharacterReferences } from './character-references.js';

/**
 * What a crawler needs from an HTML page, read by a small single-pass tag scanner instead of a
 * DOM parser: a DOM for a 500 KB Sphinx page costs ~100 ms, the scan a few. It follows the HTML
 * tokenizer where it matters: comments and the bodies of script, style, textarea and the like
 * hold no links; quoted attribute values may contain `>`; the first of repeated attributes wins.
 */
export interface HtmlLinks {
  /** `href`s of `<a>`, `<area>` and `src` of `<frame>`, in document order, as written. */
  links: string[];
  /** `<base href>`: relative links resolve against it. */
  base?: string;
  /** `<link rel="canonical">`. */
  canonical?: string;
  /** `<meta http-equiv="refresh" content="0; url=…">`: with no delay, the HTML form of a redirect. */
  refresh?: { url: string; delaySeconds: number };
  /** From `<meta name="robots">` (or a meta named after our agent token). */
  noindex: boolean;
  nofollow: boolean;
}

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'template']);
const INTERESTING = new Set(['a', 'area', 'frame', 'link', 'base', 'meta']);
const rawTextEnd = new Map<string, RegExp>();

export function extractHtmlLinks(html: string, agentToken: string): HtmlLinks {
  const found: HtmlLinks = { links: [], noindex: false, nofollow: false };
  const agent = agentToken.toLowerCase();
  const length = html.length;
  let at = html.indexOf('<');
  while (at >= 0 && at < length - 1) {
    const next = html.charCodeAt(at + 1);
    if (next === 0x21 /* ! */) {
      const isComment = html.startsWith('<!--', at);
      const end = isComment ? html.indexOf('-->', at + 4) : html.indexOf('>', at + 2);
      if (end < 0) break;
      at = html.indexOf('<', end + (isComment ? 3 : 1));
      continue;
    }
    if (!isAsciiLetter(next)) {
      // An end tag, a processing instruction or a stray `<`: nothing to read inside.
      at = html.indexOf('<', at + 1);
      continue;
    }
    const tag = readTag(html, at + 1);
    if (tag.attributes) record(found, tag.name, tag.attributes, agent);
    if (tag.end >= length) break;
    at = RAW_TEXT.has(tag.name) ? skipRawText(html, tag.name, tag.end) : html.indexOf('<', tag.end);
  }
  return found;
}

function record(found: HtmlLinks, name: string, attributes: Map<string, string>, agent: string): void {
  const value = (key: string): string | undefined => {
    const raw = attributes.get(key);
    return raw === undefined ? undefined : decodeCharacterReferences(raw).trim();
  };
  if (name === 'a' || name === 'area') {
    const href = value('href');
    if (href) found.links.push(href);
  } else if (name === 'frame') {
    const src = value('src');
    if (src) found.links.push(src);
  } else if (name === 'base') {
    found.base ??= value('href') || undefined;
  } else if (name === 'link') {
    const rel = (value('rel') ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('canonical')) found.canonical ??= value('href') || undefined;
  } else if (name === 'meta') {
    const content = value('content') ?? '';
    if ((value('http-equiv') ?? '').toLowerCase() === 'refresh') {
      const parsed = /^\s*(\d*)(?:\.\d*)?\s*[;,]?\s*(?:url\s*=\s*)?(['"]?)(.+?)\2\s*$/i.exec(content);
      if (parsed && !/^[\d.]+$/.test(parsed[3]!)) found.refresh ??= { url: parsed[3]!, delaySeconds: Number(parsed[1] || 0) };
    }
    const metaName = (value('name') ?? '').toLowerCase();
    if (metaName === 'robots' || metaName === agent) {
      const directives = content.toLowerCase().split(/[\s,]+/);
      if (directives.includes('noindex') || directives.includes('none')) found.noindex = true;
      if (directives.includes('nofollow') || directives.includes('none')) found.nofollow = true;
    }
  }
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d;
}

interface Tag {
  name: string;
  /** Only read for tags that can carry links. */
  attributes?: Map<string, string>;
  /** Index just past the closing `>` (or the input length when the tag never closes). */
  end: number;
}

/** Reads a start tag from just after its `<`. */
function readTag(html: string, from: number): Tag {
  const length = html.length;
  let p = from;
  while (p < length && !isSpace(html.charCodeAt(p)) && html[p] !== '>' && html[p] !== '/') p += 1;
  const name = html.slice(from, p).toLowerCase();
  const attributes = INTERESTING.has(name) ? new Map<string, string>() : undefined;
  while (p < length) {
    const code = html.charCodeAt(p);
    if (code === 0x3e /* > */) return { name, attributes, end: p + 1 };
    if (isSpace(code) || code === 0x2f /* / */) {
      p += 1;
      continue;
    }
    const nameStart = p;
    p += 1; // a name may start with `=` or a quote, per the tokenizer
    while (p < length) {
      const c = html.charCodeAt(p);
      if (isSpace(c) || c === 0x3e || c === 0x2f || c === 0x3d /* = */) break;
      p += 1;
    }
    const attributeName = html.slice(nameStart, p).toLowerCase();
    while (p < length && isSpace(html.charCodeAt(p))) p += 1;
    let value = '';
    if (html.charCodeAt(p) === 0x3d) {
      p += 1;
      while (p < length && isSpace(html.charCodeAt(p))) p += 1;
      const quote = html[p];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, p + 1);
        const end = close < 0 ? length : close;
        value = html.slice(p + 1, end);
        p = end + 1;
      } else {
        const start = p;
        while (p < length && !isSpace(html.charCodeAt(p)) && html.charCodeAt(p) !== 0x3e) p += 1;
        value = html.slice(start, p);
      }
    }
    if (attributes && !attributes.has(attributeName)) attributes.set(attributeName, value);
  }
  return { name, attributes, end: length };
}

/** Index of the `<` after the end tag of a raw-text element, or -1 at the end of input. */
function skipRawText(html: string, name: string, from: number): number {
  let pattern = rawTextEnd.get(name);
  if (!pattern) {
    pattern = new RegExp(`</${name}[\\s/>]`, 'gi');
    rawTextEnd.set(name, pattern);
  }
  pattern.lastIndex = from;
  const match = pattern.exec(html);
  return match ? match.index : -1;
}
