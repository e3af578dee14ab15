import { SERVER_INFO_META_KEY, type CallToolResult } from '@modelcontextprotocol/server';

/**
 * A 2026-07-28 tools/call answer framed as the MCP SDK frames a complete result: the result, its
 * `resultType` and the server's identity in `_meta`, then the JSON-RPC envelope, in that key order
 * (the bytes are the SDK's; test/mcp/direct-search.test.ts and test/api/search-admission.test.ts
 * compare them). For the answers the endpoint gives without the SDK.
 */
export function completeToolResult(id: string | number, result: CallToolResult, serverInfo: object): object {
  return { result: { ...result, resultType: 'complete', _meta: { [SERVER_INFO_META_KEY]: serverInfo } }, jsonrpc: '2.0', id };
}

/** A 2025-era tools/call answer framed as the SDK's stateless transport frames it: the result as it is. */
export function legacyToolResult(id: string | number, result: CallToolResult): object {
  return { result, jsonrpc: '2.0', id };
}
