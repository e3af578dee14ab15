import path from 'node:path';
import type { DocumentKey } from './model.js';
import { isSlug } from './slug.js';
import { sourcePathOf } from './ids.js';
import { LibraryError } from './errors.js';

export class PathEscapeError extends LibraryError {
  constructor(readonly attempted: string) {
    super('invalid_input', `refusing to use a path outside the data directory: ${JSON.stringify(attempted.slice(0, 200))}`);
    this.name = 'PathEscapeError';
  }
}

/**
 * Joins relative parts under root and proves the result stays inside it. Slugs already cannot
 * contain separators; this is the second lock on the door.
 */
export function resolveInside(root: string, ...relative: string[]): string {
  const base = path.resolve(root);
  const target = path.resolve(base, ...relative);
  if (target !== base && !target.startsWith(base + path.sep)) throw new PathEscapeError(relative.join('/'));
  if (target.includes('\0')) throw new PathEscapeError(relative.join('/'));
  return target;
}

/** The Markdown file of a document under the library folder. */
export function documentFilePath(libraryDir: string, key: DocumentKey): string {
  for (const part of [key.product, key.version, key.collection, key.document]) {
    if (!isSlug(part)) throw new PathEscapeError(part);
  }
  return resolveInside(libraryDir, sourcePathOf(key));
}
