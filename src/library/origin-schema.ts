/**
 * The shape of a document's origin (see origin.ts) as a schema: the specification its type comes
 * from. Kept apart from origin.ts, which reads origins by hand, so that a search worker reading the
 * catalog does not load zod.
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
