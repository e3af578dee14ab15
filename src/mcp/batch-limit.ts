import { readRequestBody } from '@modelcontextprotocol/server';
import { LIMITS } from '../library/limits.js';

/**
 * JSON-RPC batches on /mcp are bounded: every message of a batch can be a tool call that runs a
 * search, so one small request of a hundred calls held the server for seconds. Returns how many
 * messages a batch holds when that is more than LIMITS.rpcBatchMessages (the caller refuses it
 * before any runs); undefined for anything else, which the MCP handler judges as before (a body
 * over `maxBytes` is its 413). The body is read from a copy, the way the handler reads it.
 */
export async function oversizedBatch(request: Request, maxBytes: number): Promise<number | undefined> {
  const read = await readRequestBody(request.clone(), maxBytes);
  if (read.tooLarge || !read.text.trimStart().startsWith('[')) return undefined;
  let messages: unknown;
  try {
    messages = JSON.parse(read.text);
  } catch {
    return undefined;
  }
  return Array.isArray(messages) && messages.length > LIMITS.rpcBatchMessages ? messages.length : undefined;
}
