/**
 * What the pipeline ingests: bytes with a name and an origin. A file on disk, an upload, a fetched
 * URL and a crawled page are all one of these, so adding, identity checks and refreshing treat
 * them alike.
 */
import path from 'node:path';
import type { DocumentLabels, DocumentNavigation } from '../../library/model.js';
import type { DocumentOrigin } from '../../library/origin.js';
import { readRegularFile } from './read-source.js';

export interface Source {
  /**
   * The name the converter goes by: its extension picks the converter, its last part's stem is the
   * fallback title, and conversion errors start with it (a file's path, an upload's or a fetched
   * page's file name).
   */
  name: string;
  origin: DocumentOrigin;
  /** Where it came from as people gave it (a path, or a URL with its fragment): the document's original_file. */
  location: string;
  labels: DocumentLabels;
  /** Its place in its collection's reading order (pages of a crawled site). */
  navigation?: DocumentNavigation;
  /** The bytes, read when the document is ingested (a file is read then; fetched bytes are in memory). */
  read(): Uint8Array;
}

/** A file on this machine, read when it is ingested. `folder` is the folder it was added with, if any. */
export function fileSource(file: string, labels: DocumentLabels, folder?: string): Source {
  const absolute = path.resolve(file);
  return {
    name: absolute,
    origin: folder === undefined ? { kind: 'file', path: absolute } : { kind: 'file', path: absolute, folder },
    location: absolute,
    labels,
    // Regular files only: a pipe swapped in after discovery must fail, not block the add forever.
    read: () => readRegularFile(absolute),
  };
}

/** Bytes already in memory or staged by the server (an upload, a fetched URL). */
export function bytesSource(fields: Omit<Source, 'read'>, bytes: Uint8Array | (() => Uint8Array)): Source {
  return { ...fields, read: typeof bytes === 'function' ? bytes : () => bytes };
}
