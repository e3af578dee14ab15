/**
 * Names and labels read from a URL: the document name of a fetched page or file, the collection a
 * site's pages are filed in, and suggestions for vendor, product and version when a person did not
 * give them (`https://docs.frrouting.org/en/latest/` → frrouting, frrouting, latest).
 */
import { createHash } from 'node:crypto';

export interface LabelSuggestions {
  vendor?: string;
  product?: string;
  version?: string;
  collection?: string;
}

/** Host labels that say "documentation" rather than whose it is. */
const GENERIC_HOST_LABELS = new Set(['www', 'docs', 'doc', 'documentation', 'help', 'developer', 'developers', 'dev', 'support', 'manuals', 'manual', 'wiki', 'kb', 'learn', 'api', 'readthedocs', 'github', 'gitlab', 'io', 'com', 'org', 'net']);
/** Path segments that say "documentation" or a language rather than a product. */
const GENERIC_SEGMENTS = /^(docs?|documentation|manuals?|guides?|user|users|html|en|en-us|en-gb|de|fr|es|ja|zh|zh-cn|index(\.html?)?|reference|book)$/i;
const VERSION_SEGMENT = /^(v?\d+(\.\d+)*([-_.]?[a-z]*\d*)?|latest|stable|current|main|master|dev|nightly)$/i;
const PAGE_EXTENSIONS = /\.(html?|md|markdown|txt|pdf)$/i;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const segmentsOf = (pathname: string): string[] => pathname.split('/').filter(Boolean).map(decode);

/** Vendor from the host: the name left once generic labels (www, docs) and the TLD are dropped. */
function vendorOf(url: URL): string | undefined {
  if (/^[\d.]+$/.test(url.hostname) || url.hostname.includes(':') || url.hostname === 'localhost') return undefined;
  const labels = url.hostname.toLowerCase().split('.').slice(0, -1).filter((label) => !GENERIC_HOST_LABELS.has(label));
  return labels[labels.length - 1];
}

/**
 * Suggestions for the labels of a document or site at `url`. They are guesses shown to a person
 * (the CLI's error message, the add page), never applied silently.
 */
export function suggestLabels(address: string): LabelSuggestions {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return {};
  }
  const segments = segmentsOf(url.pathname);
  const folders = PAGE_EXTENSIONS.test(url.pathname) ? segments.slice(0, -1) : segments;
  const version = folders.find((s) => VERSION_SEGMENT.test(s));
  const named = folders.filter((s) => !VERSION_SEGMENT.test(s) && !GENERIC_SEGMENTS.test(s));
  const vendor = vendorOf(url);
  const product = named[0] ?? vendor;
  const suggestions: LabelSuggestions = {};
  if (vendor) suggestions.vendor = vendor;
  if (product) suggestions.product = product;
  if (version) suggestions.version = version;
  const collection = named[named.length - 1] ?? vendor;
  if (collection) suggestions.collection = collection;
  return suggestions;
}

/**
 * The collection a site's pages are filed in when none is given: the last named folder of the
 * crawl's scope (`/frr/` → frr), else the host's name.
 */
export function siteCollectionName(startUrl: string): string {
  const url = new URL(startUrl);
  return suggestLabels(startUrl).collection ?? url.hostname.replace(/^www\./, '');
}

/**
 * The document name of a page of a site: its path below the crawl's folder, without the page
 * extension and a trailing index (`/frr/bgp.html` → bgp, `/docs/install/index.html` → install,
 * `/docs/` → index). Files outside the folder (a PDF under /_downloads/) use their whole path.
 */
export function pageDocumentName(address: string, pathPrefix: string): string {
  const url = new URL(address);
  const relative = url.pathname.startsWith(pathPrefix) ? url.pathname.slice(pathPrefix.length) : url.pathname;
  const parts = segmentsOf(relative);
  const last = parts.length - 1;
  if (last >= 0) parts[last] = parts[last]!.replace(PAGE_EXTENSIONS, '');
  if (parts[last] === 'index' && parts.length > 1) parts.pop();
  const name = parts.filter(Boolean).join('-') + (url.search ? `-${shortHash(url.search)}` : '');
  return name || 'index';
}

/** Other names for a page whose first choice is taken by another page: with its extension, then its URL's hash. */
export function alternativeNames(address: string, name: string): string[] {
  const extension = /\.([a-z0-9]+)$/i.exec(new URL(address).pathname)?.[1]?.toLowerCase();
  return [...(extension ? [`${name}-${extension}`] : []), `${name}-${shortHash(address)}`];
}

/** The document name of a single fetched file: its file name without the extension. */
export function urlDocumentName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '') || 'index';
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
