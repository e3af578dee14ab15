import type { SourceFormat } from '../../convert/index.js';
import { formatOf } from '../../convert/formats.js';

/**
 * Decides what a response is from its Content-Type, its first bytes and its URL, because none of
 * them is reliable alone: servers send PDFs as application/octet-stream, Markdown as text/plain,
 * HTML error pages with a `.pdf` URL. The bytes win where they are unambiguous (a PDF signature,
 * binary data), then a specific Content-Type, then the URL's extension, then HTML signatures.
 */
export type Sniffed = { format: SourceFormat } | { unsupported: string };

const NOT_DOCUMENTS = new Set([
  'text/css',
  'text/javascript',
  'application/javascript',
  'application/json',
  'application/ld+json',
  'text/xml',
  'application/xml',
  'application/rss+xml',
  'application/atom+xml',
  'text/csv',
  'text/calendar',
]);

function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

export function sniffFormat(input: { contentType?: string; bytes: Uint8Array; url: URL }): Sniffed {
  const { bytes, url } = input;
  const mime = mediaTypeOf(input.contentType);
  const described = mime || 'no content type';
  if (hasPdfSignature(bytes)) return { format: 'pdf' };
  if (looksBinary(bytes)) return { unsupported: `binary content (${described}), not a PDF, HTML, Markdown or text document` };
  if (mime === 'text/html' || mime === 'application/xhtml+xml') return { format: 'html' };
  if (mime === 'text/markdown' || mime === 'text/x-markdown') return { format: 'markdown' };
  if (mime === 'application/pdf') return { unsupported: 'the server says it is a PDF, but the bytes are not one' };
  if (NOT_DOCUMENTS.has(mime) || mime.startsWith('image/') || mime.startsWith('audio/') || mime.startsWith('video/') || mime.startsWith('font/')) {
    return { unsupported: `content type ${mime} is not a document` };
  }
  const byExtension = formatOf(url.pathname);
  const generic = mime === '' || mime === 'text/plain' || mime === 'application/octet-stream';
  if (generic && (byExtension === 'markdown' || byExtension === 'text')) return { format: byExtension };
  if (looksLikeHtml(bytes)) return { format: 'html' };
  if (byExtension) return { format: byExtension };
  if (mime.startsWith('text/') || generic) return { format: 'text' };
  return { unsupported: `content type ${mime} is not a document McDewey can read` };
}

/** `%PDF-` within the first 1 KB: readers accept a little junk before the header. */
function hasPdfSignature(bytes: Uint8Array): boolean {
  const limit = Math.min(bytes.length - 5, 1024);
  for (let i = 0; i <= limit; i += 1) {
    if (bytes[i] === 0x25 && bytes[i + 1] === 0x50 && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x46 && bytes[i + 4] === 0x2d) return true;
  }
  return false;
}

/** NUL bytes in the first 4 KB (outside UTF-16, which has a byte order mark) mean binary. */
function looksBinary(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const end = Math.min(bytes.length, 4096);
  for (let i = 0; i < end; i += 1) if (bytes[i] === 0) return true;
  return false;
}

/** The WHATWG MIME-sniffing signatures for HTML: the first tag, after whitespace. */
const HTML_SIGNATURES = ['<!doctype html', '<html', '<head', '<script', '<iframe', '<h1', '<div', '<font', '<table', '<a', '<style', '<title', '<b', '<body', '<br', '<p', '<!--'];

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512)).replace(/^\uFEFF|^\xEF\xBB\xBF/, '').trimStart().toLowerCase();
  return HTML_SIGNATURES.some((signature) => head.startsWith(signature) && /^[\s>]/.test(head.slice(signature.length, signature.length + 1) || ' '));
}
