import type { CallToolResult } from '@modelcontextprotocol/server';
import { remoteError } from '../http/remote-error.js';

/** A successful result: the JSON text for hosts that only read content, and the same object as structured content. */
export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A failure the model can act on: the message says what went wrong and what to try next. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Runs a tool body and turns failures into `isError` results: library errors (unknown version,
 * bad id, …) and storage failures carry their advice, without server paths (see
 * remote-errors.ts); anything else is a bug, logged on the server and reported without detail.
 */
export async function withLibraryErrors(work: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    return errorResult(remoteErrorText(error));
  }
}

/** The text an MCP client gets for a failure. */
export function remoteErrorText(error: unknown): string {
  const remote = remoteError(error);
  if (remote) return remote.hint ? `${remote.message}. ${remote.hint}` : remote.message;
  console.error('mcdewey mcp: unexpected error', error);
  return 'the server failed to answer this request; retry, and if it keeps failing see the server log';
}

/** Every McDewey tool only reads the local library. */
export const READ_ONLY_TOOL = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;

/** Cuts text to a character budget so that no result comes near a host's output limit. */
export function capText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
