import type { SourceFormat } from '../../convert/index.js';
import { formatOf } from '../../convert/formats.js';

const EXTENSION: Readonly<Record<SourceFormat, string>> = { pdf: '.pdf', html: '.html', markdown: '.md', text: '.txt' };

/**
 * The file name a fetched resource is converted under: the URL's last path segment, with the
 * extension of the format it really is (converters pick themselves by extension, and titles fall
 * back to the name). `/docs/bgp` → `bgp.html`, `/docs/` → `docs.html`, `/` → `index.html`.
 */
export function fileNameFor(url: URL, format: SourceFormat): string {
  const segments = url.pathname.split('/').filter(Boolean);
  let name = decodeSegment(segments[segments.length - 1] ?? 'index');
  name = name.replace(/[^\p{L}\p{N}._ -]+/gu, '-').replace(/^[.-]+/, '').slice(0, 120) || 'index';
  return formatOf(name) === format ? name : `${name}${EXTENSION[format]}`;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
