/**
 * Each document file's layout (document-file-layout.ts) kept on disk, so that the first read of a
 * page loads kilobytes instead of scanning and hashing the whole file on the thread that answers
 * requests. Derived data, like the page-image cache: deleting `cache/layouts` is always safe.
 *
 *   <data>/cache/layouts/<product>/<version>/<collection>/<document>.layout
 *
 * A layout names the file it describes by identity (device, inode, size, modification time) and
 * by the sha256 of its bytes; it is trusted only while the file still has that identity, so a
 * layout that is missing, unreadable, of another format or left from another version of the file
 * is never used (the file is scanned again in the background). It is written after its document
 * file, through the staging area and a rename: a crash in between leaves no layout, or the
 * previous version's, which no longer matches, and the library reads correctly either way.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { DataDir } from './data-dir.js';
import type { DocumentKey } from './model.js';
import type { ScannedLayout, ScannedPage } from './document-file-layout.js';
import { CHECKPOINT_CHARS, MAX_TAIL_CHARS } from './document-file-layout.js';
import { documentFilePath, resolveInside } from './paths.js';
import { ensureStagingArea, newStagingId, stagingPath } from './staging.js';
import { isSlug } from './slug.js';

const FORMAT = 1;
const SUFFIX = '.layout';
/** A layout bigger than this is refused unread: ~20 bytes a page and a checkpoint, so far above any real one. */
const MAX_LAYOUT_BYTES = 64 * 1024 * 1024;

/** A layout as stored: the scan and the identity of the file it was scanned from. */
export interface StoredLayout extends ScannedLayout {
  identity: string;
}

/** What a file is, for a layout to match it: device, inode, size and modification time. */
export function fileIdentity(stat: fs.Stats): string {
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;
}

export function layoutsDir(dir: DataDir): string {
  return resolveInside(dir.root, 'cache', 'layouts');
}

/** Where the layout of a document's file is kept (its key's slugs are checked as the file's are). */
export function layoutFilePath(dir: DataDir, key: DocumentKey): string {
  documentFilePath(dir.libraryDir, key);
  return resolveInside(layoutsDir(dir), key.product, key.version, key.collection, `${key.document}${SUFFIX}`);
}

export function encodeLayout(layout: StoredLayout): string {
  const pages = layout.pages.map((p) => [p.number, p.label ?? null, p.chars, p.byteStart, p.byteEnd, p.damaged ? 1 : 0, p.checkpoints ?? null, p.tail ?? null]);
  return JSON.stringify({ mcdewey_layout: FORMAT, identity: layout.identity, markdown_hash: layout.markdownHash, size: layout.size, usable: layout.usable, checked: layout.checked, pages });
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** The layout `text` holds, or undefined for anything that is not a whole, consistent layout of this format. */
export function decodeLayout(text: string): StoredLayout | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  const value = raw as Record<string, unknown> | null;
  if (!value || typeof value !== 'object' || value['mcdewey_layout'] !== FORMAT) return undefined;
  const { identity, markdown_hash: markdownHash, size, usable, checked, pages } = value;
  if (typeof identity !== 'string' || typeof markdownHash !== 'string' || !/^[0-9a-f]{64}$/.test(markdownHash)) return undefined;
  if (!isCount(size) || typeof usable !== 'boolean' || typeof checked !== 'boolean' || !Array.isArray(pages)) return undefined;
  const decoded: ScannedPage[] = [];
  let previousEnd = 0;
  for (const entry of pages as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 8) return undefined;
    const [number, label, chars, byteStart, byteEnd, damaged, checkpoints, tail] = entry as unknown[];
    if (!isCount(number) || (label !== null && typeof label !== 'string') || !isCount(chars) || !isCount(byteStart) || !isCount(byteEnd)) return undefined;
    // Pages follow one another in the file, and a character is one to four bytes.
    if (byteStart < previousEnd || byteEnd < byteStart || byteEnd > size || (damaged !== 0 && damaged !== 1)) return undefined;
    const bytes = byteEnd - byteStart;
    const page: ScannedPage = { number, chars, byteStart, byteEnd, damaged: damaged === 1 };
    if (label !== null) page.label = label;
    if (tail !== null) {
      if (typeof tail !== 'string' || tail.length === 0 || tail.length > MAX_TAIL_CHARS || tail.trim() !== '' || damaged !== 0) return undefined;
      page.tail = tail;
    }
    if (checkpoints === null) {
      if (damaged === 0 && bytes !== chars) return undefined;
    } else {
      if (!Array.isArray(checkpoints) || checkpoints.length !== Math.max(1, Math.ceil(chars / CHECKPOINT_CHARS))) return undefined;
      if (damaged === 0 && (chars > bytes || bytes > chars * 4)) return undefined;
      let last = -1;
      for (const at of checkpoints as unknown[]) {
        if (!isCount(at) || at <= last || at > bytes) return undefined;
        last = at;
      }
      page.checkpoints = checkpoints as number[];
    }
    decoded.push(page);
    previousEnd = byteEnd;
  }
  return { identity, markdownHash, size, usable, checked, pages: decoded };
}

/** The layout stored at `file`, or undefined when there is none usable (see the module comment). */
export function readLayoutFile(file: string): StoredLayout | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_LAYOUT_BYTES) return undefined;
    return decodeLayout(fs.readFileSync(fd, 'utf8'));
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Stores a layout: written in the staging area, then renamed into place. Best effort: a layout is
 * a cache, so a full disk or a read-only library leaves none (reads scan the file in the
 * background instead) rather than failing the write it follows. Says whether it was stored.
 */
export function writeLayoutFile(dir: DataDir, file: string, layout: StoredLayout): boolean {
  let staged: string | undefined;
  try {
    ensureStagingArea(dir);
    staged = stagingPath(dir, newStagingId('layout'), SUFFIX);
    fs.writeFileSync(staged, encodeLayout(layout), { flag: 'wx' });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.renameSync(staged, file);
    return true;
  } catch {
    if (staged) fs.rmSync(staged, { force: true });
    return false;
  }
}

/** Removes a document's layout and the folders it leaves empty under `cache/layouts`. */
export function removeLayoutFile(dir: DataDir, key: DocumentKey): void {
  let file: string;
  try {
    file = layoutFilePath(dir, key);
  } catch {
    return; // a key the library cannot hold has no layout
  }
  try {
    fs.rmSync(file, { force: true });
  } catch {
    return; // a cache file that cannot go is never trusted anyway (its file's identity will not match)
  }
  removeEmptyFolders(layoutsDir(dir), path.dirname(file));
}

function removeEmptyFolders(root: string, folder: string): void {
  while (folder.startsWith(root + path.sep)) {
    try {
      fs.rmdirSync(folder);
    } catch {
      break; // not empty
    }
    folder = path.dirname(folder);
  }
}

/**
 * Removes the layouts of documents not in `keep` (source paths, as the index lists them): what a
 * crash between a removal and its layout's left. Only `<slug>/<slug>/<slug>/<slug>.layout` files
 * are touched, symbolic links are neither followed nor removed, and anything else is left alone.
 * Returns how many were removed.
 */
export function removeStrayLayouts(dir: DataDir, keep: ReadonlySet<string>): number {
  const root = layoutsDir(dir);
  let removed = 0;
  const walk = (folder: string, parts: string[]) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.join(folder, entry.name);
      if (parts.length < 3) {
        if (entry.isDirectory() && isSlug(entry.name)) walk(child, [...parts, entry.name]);
        continue;
      }
      if (!entry.isFile() || !entry.name.endsWith(SUFFIX)) continue;
      const document = entry.name.slice(0, -SUFFIX.length);
      if (!isSlug(document) || keep.has(`${parts.join('/')}/${document}.md`)) continue;
      try {
        fs.unlinkSync(child);
        removed++;
      } catch {
        // Gone already, or not ours to remove: left as it is.
      }
    }
    if (parts.length > 0) removeEmptyFolders(root, folder);
  };
  try {
    if (!fs.lstatSync(root).isDirectory()) return 0;
  } catch {
    return 0;
  }
  walk(root, []);
  return removed;
}
