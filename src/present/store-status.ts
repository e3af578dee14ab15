import type { z } from 'zod';
import type { NodeStatus } from '../service/scale-out/scale-out-node.js';
import type { StoreStatus } from './schemas.js';

/** A node's standing against the shared store, in the API's snake_case. */
export function presentStoreStatus(status: NodeStatus): z.input<typeof StoreStatus> {
  return {
    engine: status.engine,
    store: status.store,
    position: status.position,
    store_position: status.storePosition,
    caught_up: status.caughtUp,
    listening: status.listening,
    started_from: status.startedFrom,
    ...(status.error ? { error: status.error } : {}),
  };
}
