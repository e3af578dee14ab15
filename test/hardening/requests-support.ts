import assert from 'node:assert/strict';
import os from 'node:os';
import { REPO_ROOT } from '../support/corpus.js';

/**
 * Shared by the hostile-request tests: what a response must never contain, the ways of sending
 * requests that fetch() will not send (raw bytes, any Host), and MCP calls in both protocol eras.
 */

/** Traces of the server's insides: stack frames, source files, install paths. */
const LEAK_PATTERNS: RegExp[] = [
  /\bat [\w$.<>\[\] ]+ \(.*?:\d+:\d+\)/, // "at fn (file:12:3)"
  /\bat (?:file|node):/,
  /(?:\n|\\n)\s+at \S/, // a stack line, raw or JSON-escaped
  /node_modules/,
  /\/work\//,
  /\.(?:ts|js|mjs|cjs):\d+/,
];

export function assertNoLeak(body: string, where: string, alsoForbidden: string[] = []): void {
  for (const pattern of LEAK_PATTERNS) {
    assert.doesNotMatch(body, pattern, `${where}: the body shows the server's insides (${pattern}): ${body.slice(0, 300)}`);
  }
  for (const text of [REPO_ROOT, os.tmpdir() + '/mcdewey-test', ...alsoForbidden]) {
    assert.ok(!body.includes(text), `${where}: the body names a server path or secret: ${body.slice(0, 300)}`);
  }
}

/**
 * A query string value percent-encoded byte by byte, lone surrogates included (as the 3-byte
 * sequences a sloppy client would send), since encodeURIComponent throws on them.
 */
export function encodeQueryValue(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

export interface McpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body, or undefined when there is none. */
  json: any;
}

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } as const;

/** Per-request metadata of the 2026-07-28 era. */
export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'mcdewey-hardening', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
} as const;

/** POSTs a body (any bytes) to /mcp and parses a JSON answer if there is one. */
export async function postMcp(mcpUrl: string, body: string, headers: Record<string, string> = {}): Promise<McpAnswer> {
  const response = await fetch(mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A tools/call in either era; the 2026 form carries the headers and _meta that era requires. */
export function callTool(mcpUrl: string, name: string, args: unknown, options: { era?: 2025 | 2026; headers?: Record<string, string>; id?: number } = {}): Promise<McpAnswer> {
  const era = options.era ?? 2026;
  const params = era === 2026 ? { name, arguments: args, _meta: MODERN_META } : { name, arguments: args };
  const eraHeaders: Record<string, string> = era === 2026 ? { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name } : {};
  return postMcp(mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: options.id ?? 1, method: 'tools/call', params }), { ...eraHeaders, ...options.headers });
}

/** The text of a tool result, with whether it is an error result; fails on a JSON-RPC error or a non-200. */
export function toolOutcome(answer: McpAnswer, where: string): { isError: boolean; text: string } {
  assert.equal(answer.status, 200, `${where}: HTTP ${answer.status} ${answer.text.slice(0, 300)}`);
  const result = answer.json?.result;
  assert.ok(result, `${where}: not a tool result: ${answer.text.slice(0, 300)}`);
  const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
  return { isError: result.isError === true, text };
}
