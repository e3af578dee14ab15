import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root (the folder holding package.json). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shared real-world corpus, checked out beside the repository as ../shared/corpus. */
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

export const corpusPath = (...parts: string[]): string => path.join(CORPUS, ...parts);
