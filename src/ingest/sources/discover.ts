/**
 * Turns what a person passes to `mcdewey add` (files and folders) into a list of sources, each
 * with the labels it will be filed under. Labels come from flags where given, otherwise from a
 * `<vendor>/<product>/<version>/<file>` folder layout.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { DocumentLabels, DocumentNavigation } from '../../library/model.js';
import { formatOf } from '../convert/formats.js';
import { LibraryError, type ErrorCode } from '../../library/errors.js';
import { fileSource, type Source } from './source.js';
import { kindOf } from './read-source.js';
import { walkFolder, type FolderListing, type SkippedEntry, type SkipReason } from './walk-folder.js';
import { folderNavigation } from './folder-navigation.js';

export type { SkippedEntry } from './walk-folder.js';

export interface SourceFile {
  path: string;
  labels: DocumentLabels;
  /** What the document came from when `path` is only a staging copy (an upload's file name). */
  originalFile?: string;
  /** Its place in its collection's reading order, for a file added with the rest of its folder. */
  navigation?: DocumentNavigation;
}

export interface LabelFlags {
  vendor?: string;
  product?: string;
  version?: string;
  collection?: string;
  /** The document's name within its collection (single files, URLs); default: from the file name. */
  document?: string;
  title?: string;
}

export class SourceError extends LibraryError {
  constructor(readonly source: string, readonly problem: string, hint: string, code: ErrorCode = 'invalid_input') {
    super(code, `${source}: ${problem}`, hint);
    this.name = 'SourceError';
  }
}

const SKIPPED_NAMES = new Set(['genindex.html', 'search.html', 'py-modindex.html']);
const SUPPORTED = 'Supported: .pdf, .html, .htm, .md, .markdown, .txt';

export interface DiscoverOptions {
  /** Follow symbolic links that stay inside the added folder (never outside it, never in a loop). */
  followLinks?: boolean;
}

/** The files an input yields, and what was left out of a folder and why. */
export interface Discovery {
  sources: SourceFile[];
  skipped: SkippedEntry[];
}

export function discover(input: string, flags: LabelFlags = {}, options: DiscoverOptions = {}): Discovery {
  const absolute = path.resolve(input);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new SourceError(input, 'no such file or folder', 'Check the path.');
  }
  if (stat.isFile()) {
    if (!formatOf(absolute)) throw new SourceError(input, `unsupported file type "${path.extname(absolute) || '(none)'}"`, SUPPORTED);
    return { sources: [{ path: absolute, labels: labelsForFile(absolute, [path.basename(absolute)], flags) }], skipped: [] };
  }
  if (!stat.isDirectory()) throw new SourceError(input, `is ${kindOf(stat)}`, 'Pass a regular file or a folder.');
  let listing: FolderListing;
  try {
    listing = walkFolder(absolute, options);
  } catch (error) {
    throw new SourceError(input, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, 'Check its permissions.');
  }
  if (flags.document !== undefined) {
    throw new SourceError(input, 'is a folder: --document names one document', 'Pass --document with a single file, or leave it out so each file is named after itself');
  }
  // The walk lists paths as root + separator + the path below it; only that part names things.
  const prefix = absolute.endsWith(path.sep) ? absolute.length : absolute.length + 1;
  const supported = listing.files
    .filter((f) => formatOf(f) && !SKIPPED_NAMES.has(path.basename(f)))
    .map((file) => ({ file, parts: file.slice(prefix).split(path.sep) }));
  // Sphinx and similar builds keep copies of their sources next to the HTML; index the HTML only.
  // Only folders below the added one count: it may itself sit below a `_sources` folder.
  const htmlBased = supported.some(({ file }) => /\.html?$/i.test(file));
  const files = supported.filter(({ parts }) => !(htmlBased && parts.slice(0, -1).includes('_sources')));
  if (files.length === 0) {
    const ignored = supported.length > 0 ? [`${supported.length} Sphinx _sources cop${supported.length === 1 ? 'y' : 'ies'} (only the HTML beside them is read)`] : [];
    const why = [...ignored, ...describeSkipped(listing.skipped)];
    throw new SourceError(input, `holds no supported documents${why.length > 0 ? ` (skipped: ${why.join('; ')})` : ''}`, SUPPORTED);
  }
  // A docs tree or a folder of web pages is one collection, top-level pages (index.md) included;
  // a flat folder of PDFs stays a shelf of separate books.
  const site = files.some(({ parts }) => parts.length > 1) || (files.length > 1 && files.every(({ file }) => formatOf(file) !== 'pdf'));
  const treeCollection = site ? path.basename(absolute) : undefined;
  const sources = files.map(({ file, parts }) => ({ path: file, labels: labelsForFile(file, parts, flags, treeCollection) }));
  return { sources: withNavigation(absolute, sources), skipped: listing.skipped };
}

/**
 * What the pipeline ingests from an input: each file as a source (read when it is added), filed
 * with the folder it was added with, so that refreshing the folder finds it again.
 */
export function discoverSources(input: string, flags: LabelFlags = {}, options: DiscoverOptions = {}): { sources: Source[]; skipped: SkippedEntry[] } {
  const { sources, skipped } = discover(input, flags, options);
  const absolute = path.resolve(input);
  const folder = sources.length === 1 && sources[0]!.path === absolute ? undefined : absolute;
  return { sources: sources.map((file) => asSource(file, folder)), skipped };
}

/** A discovered file as a pipeline source, keeping its place in the folder's reading order. */
export function asSource(file: SourceFile, folder?: string): Source {
  const source = fileSource(file.path, file.labels, folder);
  return file.navigation ? { ...source, navigation: file.navigation } : source;
}

/** Files of one collection keep the folder's reading order (see folder-navigation.ts). */
function withNavigation(root: string, sources: SourceFile[]): SourceFile[] {
  const labelsOf = new Map(sources.map((s) => [s.path, s.labels]));
  const navigation = folderNavigation(root, [...labelsOf.keys()], (file) => {
    const labels = labelsOf.get(file)!;
    return [labels.vendor, labels.product, labels.version, labels.collection ?? labels.document].join('\0');
  });
  return sources.map((source) => {
    const place = navigation.get(source.path);
    return place ? { ...source, navigation: place } : source;
  });
}

/** "2 symbolic links (pass --follow-links …)", "1 unreadable folder", … for a one-line summary. */
export function describeSkipped(skipped: SkippedEntry[]): string[] {
  const counts = new Map<SkipReason, number>();
  for (const entry of skipped) counts.set(entry.reason, (counts.get(entry.reason) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${SKIP_LABELS[reason](n)}`);
}

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);
const SKIP_LABELS: Record<SkipReason, (n: number) => string> = {
  unreadable: (n) => plural(n, 'unreadable folder', 'unreadable folders'),
  link: (n) => `${plural(n, 'symbolic link', 'symbolic links')} (pass --follow-links to follow links that stay inside the folder)`,
  'link-outside': (n) => plural(n, 'link pointing outside the folder', 'links pointing outside the folder'),
  'link-broken': (n) => plural(n, 'broken link', 'broken links'),
  'link-loop': (n) => plural(n, 'link to a folder already walked', 'links to folders already walked'),
  special: (n) => plural(n, 'named pipe, socket or device', 'named pipes, sockets or devices'),
  duplicate: (n) => plural(n, 'file reached twice', 'files reached twice'),
};

/**
 * With all of vendor, product and version given, the path below the added folder names the
 * document (`models/dcim/device.md` → `models-dcim-device`). Otherwise labels are read from
 * the layout: the first three parts below the added folder when it is that deep, else the
 * file's own ancestors (`…/cisco/finesse/12.5/guide.pdf`).
 */
function labelsForFile(file: string, relativeParts: string[], flags: LabelFlags, treeCollection?: string): DocumentLabels {
  const stem = (name: string) => name.replace(/\.[^.]+$/, '');
  const fileName = relativeParts[relativeParts.length - 1]!;
  if (flags.vendor && flags.product && flags.version) {
    const labels: DocumentLabels = {
      vendor: flags.vendor,
      product: flags.product,
      version: flags.version,
      document: flags.document ?? [...relativeParts.slice(0, -1), stem(fileName)].join('-'),
    };
    const collection = flags.collection ?? treeCollection;
    if (collection) labels.collection = collection;
    if (flags.title) labels.title = flags.title;
    return labels;
  }
  let vendor: string | undefined;
  let product: string | undefined;
  let version: string | undefined;
  let collection: string | undefined;
  if (relativeParts.length >= 4) {
    [vendor, product, version] = relativeParts as [string, string, string];
    const between = relativeParts.slice(3, -1);
    if (between.length > 0) collection = between.join('-');
  } else {
    const ancestors = path.dirname(file).split(path.sep).filter(Boolean).reverse();
    [version, product, vendor] = ancestors as [string | undefined, string | undefined, string | undefined];
  }
  vendor = flags.vendor ?? vendor;
  product = flags.product ?? product;
  version = flags.version ?? version;
  if (!vendor || !product || !version) {
    throw new SourceError(
      file,
      'cannot tell its vendor, product and version',
      'Pass --vendor, --product and --version, or lay files out as <vendor>/<product>/<version>/<file>.',
    );
  }
  const labels: DocumentLabels = { vendor, product, version, document: flags.document ?? stem(fileName) };
  if (flags.collection ?? collection) labels.collection = (flags.collection ?? collection)!;
  if (flags.title) labels.title = flags.title;
  return labels;
}
