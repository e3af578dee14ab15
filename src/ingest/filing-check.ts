/**
 * Checks that a document may be filed where its labels put it (see `filingConflict`) without
 * comparing it with every document of the library: documents that share their labels down to the
 * collection are alike for every check but the document label's, so one of each kind stands for
 * the rest, beside the document already at the same id. The kinds are gathered again only when
 * the library changed, so adding a folder costs one pass over the library per batch written, not
 * one per file.
 */
import { documentIdOf } from '../library/ids.js';
import { filingConflict, type Filing } from '../library/label-conflicts.js';
import type { DocumentMeta } from '../library/model.js';
import type { CatalogStore, ChangeFeed } from '../store/store.js';

export class FilingCheck {
  private kinds: DocumentMeta[] = [];
  private position = -1;

  constructor(private readonly store: Pick<CatalogStore, 'documents' | 'document'> & Pick<ChangeFeed, 'changePosition'>) {}

  /** Throws the first conflict with the library and with `alsoFiled` (documents about to join it). */
  check(filing: Filing, alsoFiled: readonly DocumentMeta[] = []): void {
    const now = this.store.changePosition();
    if (now !== this.position) {
      this.kinds = oneOfEachKind(this.store.documents());
      this.position = now;
    }
    const atId = this.store.document(documentIdOf(filing.key));
    const conflict = filingConflict(filing, [...(atId ? [atId] : []), ...this.kinds, ...alsoFiled]);
    if (conflict) throw conflict;
  }
}

function oneOfEachKind(documents: readonly DocumentMeta[]): DocumentMeta[] {
  const kinds = new Map<string, DocumentMeta>();
  for (const doc of documents) {
    const kind = `${doc.vendor}\0${doc.vendorLabel}\0${doc.key.product}\0${doc.productLabel}\0${doc.key.version}\0${doc.versionLabel}\0${doc.key.collection}\0${doc.collectionLabel ?? '\u0001'}`;
    if (!kinds.has(kind)) kinds.set(kind, doc);
  }
  return [...kinds.values()];
}
