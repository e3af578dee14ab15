import path from 'node:path';
import { resolveInside } from './paths.js';

/**
 * The data directory: a readable tree of converted Markdown documents (the source of truth)
 * plus the derived search index, which `mcdewey reindex` can always rebuild from the tree.
 *
 *   <data>/library/<product>/<version>/<collection>/<document>.md
 *   <data>/index.sqlite
 *   <data>/index.lexical, index.vectors   the in-memory search indexes, saved (derived from index.sqlite)
 *   <data>/tmp/            staging area for atomic writes (same filesystem as library/)
 *   <data>/models/<org>/<name>/   embedding models fetched by `mcdewey model pull`
 *   <data>/originals/<aa>/<sha256>.<ext>   each document's original file, by content hash
 *   <data>/uploads/<job id>/   files uploaded for a job, kept until the job ends (so it can resume)
 *   <data>/cache/          derived and always safe to delete: page images (page-cache.ts), document file layouts (layout-files.ts)
 */
export interface DataDir {
  root: string;
  libraryDir: string;
  indexFile: string;
  /** The saved search indexes: derived from indexFile, rebuilt whenever absent or unusable. */
  searchIndexFiles: { lexical: string; vectors: string };
  tmpDir: string;
  modelsDir: string;
  originalsDir: string;
  uploadsDir: string;
}

export function dataDirAt(root: string): DataDir {
  const absolute = path.resolve(root);
  return {
    root: absolute,
    libraryDir: resolveInside(absolute, 'library'),
    indexFile: resolveInside(absolute, 'index.sqlite'),
    searchIndexFiles: { lexical: resolveInside(absolute, 'index.lexical'), vectors: resolveInside(absolute, 'index.vectors') },
    tmpDir: resolveInside(absolute, 'tmp'),
    modelsDir: resolveInside(absolute, 'models'),
    originalsDir: resolveInside(absolute, 'originals'),
    uploadsDir: resolveInside(absolute, 'uploads'),
  };
}
