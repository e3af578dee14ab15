import { LIMITS } from '../library/limits.js';

/**
 * JSON-RPC batches on /mcp are bounded: every message of a batch can be a tool call that runs a
 * search, so one small request of a hundred calls held the server for seconds. Returns how many
 * messages a parsed body holds when it is a batch of more than LIMITS.rpcBatchMessages (the caller
 * refuses it before any runs); undefined for anything else.
 */
export function oversizedBatch(body: unknown): number | undefined {
  return Array.isArray(body) && body.length > LIMITS.rpcBatchMessages ? body.length : undefined;
}

export function oversizedBatchMessage(messages: number): string {
  return `Invalid Request: a batch of ${messages} messages; at most ${LIMITS.rpcBatchMessages} are taken at once (send the rest in further requests)`;
}
