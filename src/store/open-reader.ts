import { SqliteStore } from './sqlite/sqlite-store.js';
import type { ReaderStore, StoreReaderSpec } from './store.js';

/**
 * Opens a reader of a store from its spec, in the thread that asks (a search or index worker): each
 * thread reads through its own connection. A second engine adds its case here.
 */
export function openStoreReader(spec: StoreReaderSpec): ReaderStore {
  switch (spec.engine) {
    case 'sqlite':
      return new SqliteStore(spec.file, { readonly: true });
  }
}
