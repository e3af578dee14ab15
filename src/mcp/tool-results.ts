import type { CallToolResult } from '@modelcontextprotocol/server';
import { LibraryError } from '../library/errors.js';

/** A successful result: the JSON text for hosts that only read content, and the same object as structured content. */
export function jsonResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A failure the model can act on: the message says what went wrong and what to try next. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/**
 * Runs a tool body and turns library errors (unknown version, bad id, …) into `isError` results
 * carrying their advice. Anything else is a bug and is left to the SDK, which reports it as an error result.
 */
export async function withLibraryErrors(work: () => CallToolResult | Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LibraryError) return errorResult(error.message);
    throw error;
  }
}

/** Every McDewey tool only reads the local library. */
export const READ_ONLY_TOOL = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;

/** Cuts text to a character budget so that no result comes near a host's output limit. */
export function capText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1)}…`;
}
