/**
 * Where a document came from: a file on this machine, an upload, or a URL (with the HTTP validators
 * of its last fetch). The origin is part of a document's identity: a different source arriving at
 * a document id that is already taken is refused rather than silently replacing it, while the same
 * source with new bytes is an update. It is kept in the document file's front matter and in the
 * index, so refreshing knows what to re-read or re-fetch.
 */
import { z } from 'zod';

export const DocumentOriginSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('file'),
    /** Absolute path of the file as it was added. */
    path: z.string().min(1),
    /** The folder it was added with, when a whole folder was added (refreshing re-scans it). */
    folder: z.string().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('upload'),
    /** The file name the client gave; an upload has no lasting location to compare or re-read. */
    name: z.string().min(1),
  }),
  z.strictObject({
    kind: z.literal('url'),
    /** The document's URL: what was fetched (a crawled page's canonical or final URL). */
    url: z.string().min(1),
    etag: z.string().optional(),
    lastModified: z.string().optional(),
    /** The start URL of the site crawl that found it, for documents of a crawled site. */
    site: z.string().min(1).optional(),
  }),
]);

export type DocumentOrigin = z.infer<typeof DocumentOriginSchema>;

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

/** Parses a stored origin (front matter, index); undefined when it is not one. */
export function parseOrigin(value: unknown): DocumentOrigin | undefined {
  const parsed = DocumentOriginSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
