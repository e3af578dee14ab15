/**
 * The outline indexes (outline-index.ts) of the documents a library has read, built in the
 * background one at a time and kept for a bounded number of documents (least recently used first
 * out), each for one version of its document.
 */

import type { StoredDocument } from '../store/store.js';
import { buildOutlineIndex, type OutlineIndex } from './outline-index.js';
import type { PageText } from './page-text.js';

/** Documents whose outline index is kept; each holds a few numbers per page. */
const KEPT = 256;
/** Builds waiting at once; past this many a request reads its outline without an index. */
const QUEUED = 64;

const keyOf = (document: StoredDocument) => `${document.docId}\0${document.markdownHash}`;

export class OutlineIndexes {
  private readonly indexes = new Map<string, OutlineIndex>();
  private readonly building = new Map<string, Promise<void>>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  /** The document's outline index, when it has been built for this version. */
  get(document: StoredDocument): OutlineIndex | undefined {
    const key = keyOf(document);
    const index = this.indexes.get(key);
    if (index) {
      // Most recently used last, so eviction takes the oldest.
      this.indexes.delete(key);
      this.indexes.set(key, index);
    }
    return index;
  }

  /** Resolves once the document's outline index is built (started now if needed), or after `waitMs` at most. */
  async ready(document: StoredDocument, text: () => PageText, waitMs: number): Promise<void> {
    const key = keyOf(document);
    if (this.closed || this.indexes.has(key)) return;
    let build = this.building.get(key);
    if (!build) {
      if (this.building.size >= QUEUED) return; // the outline is read from the start meanwhile
      build = this.queue.then(async () => {
        const index = await buildOutlineIndex(text(), () => this.closed);
        if (index && !this.closed) this.keep(key, index);
      }).catch(() => undefined).finally(() => this.building.delete(key)); // a document removed meanwhile: the next read asks again
      this.queue = build;
      this.building.set(key, build);
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([build, new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    })]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
    this.indexes.clear();
  }

  private keep(key: string, index: OutlineIndex): void {
    this.indexes.set(key, index);
    for (const oldest of this.indexes.keys()) {
      if (this.indexes.size <= KEPT) break;
      this.indexes.delete(oldest);
    }
  }
}
