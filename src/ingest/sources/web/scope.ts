import { compileGlob, type UrlGlob } from './glob.js';
import type { Refusal } from './refusal.js';
import { flagFor } from './refusal.js';

/**
 * Which URLs a crawl visits. By default: the start URL's origin (scheme, host and port) and its
 * path prefix (the start page's folder), minus the default excludes, further narrowed by
 * `include` and `exclude` globs.
 *
 * PDFs are the one exception to the path prefix: a PDF on the same origin that an in-scope page
 * links to is fetched even outside the prefix (manuals often keep downloads under `/_downloads/`
 * or `/assets/`). A PDF is a leaf, so this cannot widen the crawl. The exception is decided by
 * the `.pdf` extension before fetching and confirmed by the content after.
 */
export interface ScopeOptions {
  include: readonly string[];
  exclude: readonly string[];
  /** Skip the usual non-document pages (see DEFAULT_EXCLUDES). */
  defaultExcludes: boolean;
  /** Path prefix to stay under instead of the start page's folder, e.g. `/docs/`. */
  pathPrefix?: string;
}

/**
 * Generated pages that duplicate or index the real ones: Sphinx's source copies, general index,
 * search and module index pages.
 */
export const DEFAULT_EXCLUDES: readonly string[] = ['**/_sources/**', '**/genindex.html', '**/search.html', '**/py-modindex.html'];

/** Extensions that are never documents; links to them are not even requested. */
const ASSET_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif svg webp avif ico bmp tif tiff css js mjs map json xml woff woff2 ttf otf eot ' +
    'zip gz tgz bz2 xz 7z tar rar jar war exe msi dmg pkg deb rpm iso img bin apk mp3 mp4 m4a webm ogg ' +
    'wav avi mov mkv flac inv pyc whl gem swf ps eps doc docx xls xlsx ppt pptx odt ods odp epub'
  ).split(' '),
);

export type ScopeVerdict = { kind: 'page' } | { kind: 'pdf-leaf' } | { kind: 'out'; reason: string };

export class CrawlScope {
  readonly origin: string;
  readonly pathPrefix: string;
  private readonly includes: UrlGlob[];
  private readonly excludes: UrlGlob[];

  constructor(start: URL, options: ScopeOptions) {
    this.origin = start.origin;
    this.pathPrefix = options.pathPrefix ? withTrailingSlash(options.pathPrefix) : prefixOf(start.pathname);
    this.includes = options.include.map(compileGlob);
    this.excludes = [...(options.defaultExcludes ? DEFAULT_EXCLUDES : []), ...options.exclude].map(compileGlob);
  }

  verdict(url: URL): ScopeVerdict {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { kind: 'out', reason: `${url.protocol} link` };
    if (url.origin !== this.origin) return { kind: 'out', reason: `another site (${url.origin}); a crawl stays on ${this.origin}` };
    const extension = extensionOf(url.pathname);
    if (ASSET_EXTENSIONS.has(extension)) return { kind: 'out', reason: `.${extension} files are not documents` };
    const excluded = this.excludes.find((glob) => glob.matches(url));
    if (excluded) return { kind: 'out', reason: `excluded by "${excluded.pattern}"` };
    if (this.includes.length > 0 && !this.includes.some((glob) => glob.matches(url))) {
      return { kind: 'out', reason: `matches none of the include patterns (${this.includes.map((g) => g.pattern).join(', ')})` };
    }
    if (this.underPrefix(url.pathname)) return { kind: 'page' };
    if (extension === 'pdf') return { kind: 'pdf-leaf' };
    return { kind: 'out', reason: `outside ${this.pathPrefix}` };
  }

  /** Says why a URL is out of scope and how to bring it in. */
  refusal(url: URL): Refusal | undefined {
    const verdict = this.verdict(url);
    if (verdict.kind !== 'out') return undefined;
    return {
      reason: `it is out of the crawl's scope: ${verdict.reason}`,
      hint: `Start the crawl higher up, or set ${flagFor('pathPrefix')}, ${flagFor('include')} or ${flagFor('exclude')}`,
    };
  }

  private underPrefix(path: string): boolean {
    // `/docs/guide/` also covers `/docs/guide` itself, which usually redirects to the folder.
    return path.startsWith(this.pathPrefix) || path === this.pathPrefix.slice(0, -1);
  }
}

/**
 * The folder of the start page: `/docs/guide/intro.html` → `/docs/guide/`. A last segment without
 * a dot is taken as a folder written without its slash: `/docs/guide` → `/docs/guide/`.
 */
function prefixOf(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last === '') return path;
  if (last.includes('.')) return path.slice(0, path.lastIndexOf('/') + 1);
  return `${path}/`;
}

function withTrailingSlash(path: string): string {
  const absolute = path.startsWith('/') ? path : `/${path}`;
  return absolute.endsWith('/') ? absolute : `${absolute}/`;
}

function extensionOf(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  const dot = last.lastIndexOf('.');
  return dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
}
