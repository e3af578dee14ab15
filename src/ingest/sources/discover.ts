/**
 * Turns what a person passes to `mcdewey add` (files and folders) into a list of sources, each
 * with the labels it will be filed under. Labels come from flags where given, otherwise from a
 * `<vendor>/<product>/<version>/<file>` folder layout.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { DocumentLabels } from '../../library/model.js';
import { formatOf } from '../convert/index.js';
import { LibraryError, type ErrorCode } from '../../library/errors.js';
import { fileSource, type Source } from './source.js';

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

export function discoverSources(input: string, flags: LabelFlags = {}): Source[] {
  const absolute = path.resolve(input);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new SourceError(input, 'no such file or folder', 'Check the path.');
  }
  if (stat.isFile()) {
    if (!formatOf(absolute)) {
      throw new SourceError(input, `unsupported file type "${path.extname(absolute) || '(none)'}"`, 'Supported: .pdf, .html, .htm, .md, .markdown, .txt');
    }
    return [fileSource(absolute, labelsForFile(absolute, [path.basename(absolute)], flags))];
  }
  if (!stat.isDirectory()) throw new SourceError(input, 'is neither a file nor a folder', 'Pass a file or a folder.');
  const files = walk(absolute).filter((f) => formatOf(f) && !SKIPPED_NAMES.has(path.basename(f)));
  if (files.length === 0) {
    throw new SourceError(input, 'holds no supported documents', 'Supported: .pdf, .html, .htm, .md, .markdown, .txt');
  }
  if (flags.document !== undefined) {
    throw new SourceError(input, 'is a folder: --document names one document', 'Pass --document with a single file, or leave it out so each file is named after itself');
  }
  // Sphinx and similar builds keep copies of their sources next to the HTML; index the HTML only.
  const htmlBased = files.some((f) => /\.html?$/i.test(f));
  return files
    .filter((f) => !(htmlBased && f.split(path.sep).includes('_sources')))
    .map((file) => fileSource(file, labelsForFile(file, path.relative(absolute, file).split(path.sep), flags, absolute), absolute));
}

function walk(folder: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...walk(full));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

/**
 * With all of vendor, product and version given, the path below the added folder names the
 * document (`models/dcim/device.md` → `models-dcim-device`). Otherwise labels are read from
 * the layout: the first three parts below the added folder when it is that deep, else the
 * file's own ancestors (`…/cisco/finesse/12.5/guide.pdf`).
 */
function labelsForFile(file: string, relativeParts: string[], flags: LabelFlags, root?: string): DocumentLabels {
  const stem = (name: string) => name.replace(/\.[^.]+$/, '');
  const fileName = relativeParts[relativeParts.length - 1]!;
  if (flags.vendor && flags.product && flags.version) {
    const labels: DocumentLabels = {
      vendor: flags.vendor,
      product: flags.product,
      version: flags.version,
      document: flags.document ?? [...relativeParts.slice(0, -1), stem(fileName)].join('-'),
    };
    const collection = flags.collection ?? (root && relativeParts.length > 1 ? path.basename(root) : undefined);
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
