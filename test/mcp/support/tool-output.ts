import assert from 'node:assert/strict';

/** The parts of a tool result the tests read; the same shape from every client and era. */
export interface ToolResultLike {
  content?: unknown;
  structuredContent?: unknown;
  isError?: boolean;
}

/** A successful result's structured content, after checking it equals the JSON text content. */
export function structured<T = Record<string, any>>(result: ToolResultLike): T {
  assert.notEqual(result.isError, true, `tool failed: ${errorText(result)}`);
  const content = result.content as { type: string; text: string }[];
  assert.equal(content[0]?.type, 'text');
  assert.deepEqual(JSON.parse(content[0].text), result.structuredContent);
  return result.structuredContent as T;
}

/** The message of an isError result. */
export function errorText(result: ToolResultLike): string {
  const content = (result.content ?? []) as { type: string; text?: string }[];
  return content.map((c) => c.text ?? '').join('\n');
}
