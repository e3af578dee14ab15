/**
 * Where images of a PDF's pages (and their word boxes) are cached: derived from the kept original,
 * keyed by its content hash, so they stay valid for as long as those bytes are in the library and
 * go with them. Deleting the whole `cache/` folder is always safe: pages are drawn again on demand.
 *
 *   <data>/cache/page-images/<aa>/<sha256>/p<page>-w<width>.png, p<page>-words.json
 */
import fs from 'node:fs';
import type { DataDir } from './data-dir.js';
import { resolveInside } from './paths.js';

const HASH = /^[0-9a-f]{64}$/;

/** The cache folder of one original, or undefined for a hash the library never makes. */
export function pageCacheDir(dir: DataDir, contentHash: string): string | undefined {
  if (!HASH.test(contentHash)) return undefined;
  return resolveInside(dir.root, 'cache', 'page-images', contentHash.slice(0, 2), contentHash);
}

/** Drops the cached pages of an original that left the library. */
export function forgetPageCache(dir: DataDir, contentHash: string): void {
  const folder = pageCacheDir(dir, contentHash);
  if (folder) fs.rmSync(folder, { recursive: true, force: true });
}
