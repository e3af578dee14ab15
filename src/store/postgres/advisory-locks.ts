/**
 * PostgreSQL advisory lock keys, as (namespace, key) pairs so that they cannot collide with other
 * applications' locks in a shared database. Singleton work of a scale-out deployment (migrating
 * the schema, writing a snapshot, pruning) runs under one of these, held by one node at a time.
 */
export const LOCKS = {
  /** 'McDw' as a 32-bit integer. */
  namespace: 0x4d634477,
  migrate: 1,
  snapshot: 2,
  /** Per product, for writes: `productLockKey`. */
  productBase: 1_000,
} as const;

/** A stable 31-bit key for a product slug, so writers of one product serialise and others do not. */
export function productLockKey(product: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < product.length; i++) {
    hash ^= product.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return LOCKS.productBase + ((hash >>> 1) % 1_000_000_000);
}
