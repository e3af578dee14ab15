/**
 * Where a document came from: a file on this machine, an upload, or a URL (with the HTTP validators
 * of its last fetch). The origin is part of a document's identity: a different source arriving at
 * a document id that is already taken is refused rather than silently replacing it, while the same
 * source with new bytes is an update. It is kept in the document file's front matter and in the
 * index, so refreshing knows what to re-read or re-fetch.
 */
import type { DocumentOrigin } from './origin-schema.js';

export type { DocumentOrigin } from './origin-schema.js';

/**
 * The origin of a document stored before origins were recorded, from the only trace it left: the
 * `original_file` it was added from (a URL, an absolute path, or an upload's file name).
 */
export function originFromOriginalFile(originalFile: string): DocumentOrigin {
  if (/^https?:\/\//i.test(originalFile)) return { kind: 'url', url: originalFile };
  if (originalFile.startsWith('/') || /^[a-z]:[\\/]/i.test(originalFile)) return { kind: 'file', path: originalFile };
  return { kind: 'upload', name: originalFile || 'upload' };
}

/** A document's origin, derived from `originalFile` for documents stored before origins were kept. */
export function originOf(doc: { origin?: DocumentOrigin; originalFile: string }): DocumentOrigin {
  return doc.origin ?? originFromOriginalFile(doc.originalFile);
}

/**
 * Whether two origins name the same source. An upload is never the same source as anything:
 * two files called guide.pdf sent from two machines cannot be told apart by their name.
 */
export function sameSource(a: DocumentOrigin, b: DocumentOrigin): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.path === b.path;
  if (a.kind === 'url' && b.kind === 'url') return withoutFragment(a.url) === withoutFragment(b.url);
  return false;
}

/** `file /srv/docs/guide.pdf`, `URL https://…`, `upload guide.pdf`: for messages. */
export function describeOrigin(origin: DocumentOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `file ${origin.path}`;
    case 'upload':
      return `upload "${origin.name}"`;
    case 'url':
      return `URL ${origin.url}`;
  }
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

/** Each kind's fields: true for a required one; every field is a string, non-empty unless listed in MAY_BE_EMPTY. */
const ORIGIN_FIELDS: Readonly<Record<DocumentOrigin['kind'], Readonly<Record<string, boolean>>>> = {
  file: { path: true, folder: false },
  upload: { name: true },
  url: { url: true, etag: false, lastModified: false, site: false },
};
const MAY_BE_EMPTY = new Set(['etag', 'lastModified']);

/**
 * Parses a stored origin (front matter, index); undefined when it is not one. Exactly what
 * DocumentOriginSchema (origin-schema.ts) accepts (a property test holds them together), checked by
 * hand: the catalog parses one per document on every read, and at 15k documents zod cost a starting
 * search worker 50-90 ms before its first search; importing zod at all costs each worker thread
 * another 100-250 ms of module loading at start-up.
 */
export function parseOrigin(value: unknown): DocumentOrigin | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const origin = value as Record<string, unknown>;
  const kind = origin['kind'];
  if (kind !== 'file' && kind !== 'upload' && kind !== 'url') return undefined;
  const fields = ORIGIN_FIELDS[kind];
  for (const key of Object.keys(origin)) if (key !== 'kind' && !Object.hasOwn(fields, key)) return undefined;
  for (const [key, required] of Object.entries(fields)) {
    const field = origin[key];
    if (field === undefined) {
      if (required) return undefined;
      continue;
    }
    if (typeof field !== 'string' || (field.length === 0 && !MAY_BE_EMPTY.has(key))) return undefined;
  }
  return { ...origin } as DocumentOrigin;
}
