import { createHash } from 'node:crypto';
import { LIMITS } from '../../../src/library/limits.js';
import { dripHeaders, rawRequest, slowRead, type RawAnswer } from './raw-clients.js';

/**
 * The hostile request mix of the soak: each kind sends one request and classifies the answer as
 * expected (the server did what it should) or unexpected, with a short outcome label that the
 * soak counts ("200", "400 refused", "unexpected 200", "error ECONNRESET", …).
 */
export interface SoakTarget {
  url: string;
  token: string;
  /** Varied real queries (normal searches) and the few repeated ones (hot queries). */
  queries: string[];
  hotQueries: string[];
  huge: { docId: string; chars: number; chunks: number };
  /** A cursor this server issued, for the "changed cursor" forgery. */
  issuedCursor: string;
  cursorQuery: string;
}

export interface Outcome {
  label: string;
  expected: boolean;
  /** A little of an unexpected answer, to show in the report. */
  detail?: string;
  /**
   * The server refused the request for load (503 busy or deadline_exceeded): counted apart from
   * the answered ones, and a well-behaved client waits the Retry-After it was given before its next.
   */
  refused?: { retryAfterMs: number };
}

export interface Kind {
  name: string;
  weight: number;
  run(target: SoakTarget, random: () => number): Promise<Outcome>;
}

const MB = 1024 * 1024;
/** A normal client gives up after this long; a slower answer counts as a timeout, not a success. */
export const REQUEST_TIMEOUT_MS = 30_000;
const encodeId = (id: string) => encodeURIComponent(id).replace(/%3A/gi, ':');
const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call' };
const MCP_META = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'mcdewey-soak', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };

export function toolCallBody(name: string, args: Record<string, unknown>, id = 1): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args, _meta: MCP_META } });
}

/** fetch() with the soak's time limit; network failures become outcomes. */
async function get(url: string, init: RequestInit = {}): Promise<{ status: number; text: string; retryAfter?: string } | Outcome> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const retryAfter = response.headers.get('retry-after');
    return { status: response.status, text: await response.text(), ...(retryAfter === null ? {} : { retryAfter }) };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    return { label: e.name === 'TimeoutError' ? 'timeout' : `error ${e.cause?.code ?? e.message}`, expected: false };
  }
}

const isOutcome = (value: unknown): value is Outcome => typeof value === 'object' && value !== null && 'label' in value;
const unexpected = (status: number, text: string, why: string): Outcome => ({ label: `unexpected ${status}`, expected: false, detail: `${why}: ${text.slice(0, 200)}` });

function mcpCall(target: SoakTarget, name: string, args: Record<string, unknown>) {
  return get(`${target.url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, 'mcp-name': name, authorization: `Bearer ${target.token}` }, body: toolCallBody(name, args) });
}

/** The text and error flag of a tools/call answer, or undefined when it is not a tool result. */
function toolResult(text: string): { isError: boolean; text: string } | undefined {
  try {
    const result = (JSON.parse(text) as { result?: { isError?: boolean; content?: { text?: string }[] } }).result;
    if (!result?.content) return undefined;
    return { isError: result.isError === true, text: result.content.map((c) => c.text ?? '').join('\n') };
  } catch {
    return undefined;
  }
}

async function search(target: SoakTarget, query: string): Promise<Outcome> {
  const answer = await get(`${target.url}/api/search?${new URLSearchParams({ q: query, limit: '10' })}`);
  if (isOutcome(answer)) return answer;
  if (answer.status === 503) return loadRefusal(answer);
  if (answer.status !== 200) return unexpected(answer.status, answer.text, 'a search failed');
  const body = JSON.parse(answer.text) as { hits?: unknown[] };
  if (!Array.isArray(body.hits)) return unexpected(200, answer.text, 'no hits array');
  // Every query is text from the library, so an empty answer is worth seeing, though not an error.
  return { label: body.hits.length > 0 ? '200' : '200 no hits', expected: true };
}

/** A 503 for load: expected of admission control, with its error code and Retry-After. */
function loadRefusal(answer: { status: number; text: string; retryAfter?: string }): Outcome {
  let code = 'unknown';
  try {
    code = (JSON.parse(answer.text) as { error?: { code?: string } }).error?.code ?? code;
  } catch {
    // not JSON: reported as unexpected below
  }
  const seconds = Number(answer.retryAfter);
  if ((code !== 'busy' && code !== 'deadline_exceeded') || !Number.isFinite(seconds) || seconds < 0) {
    return unexpected(503, answer.text, `a 503 without a load error code and Retry-After (Retry-After: ${answer.retryAfter})`);
  }
  return { label: `503 ${code}`, expected: true, refused: { retryAfterMs: seconds * 1000 } };
}

/** A bounded page read: 200 and at most 1 MB. */
function boundedRead(answer: { status: number; text: string } | Outcome, what: string): Outcome {
  if (isOutcome(answer)) return answer;
  if (answer.status !== 200) return unexpected(answer.status, answer.text, what);
  const bytes = Buffer.byteLength(answer.text);
  return bytes <= MB ? { label: '200', expected: true } : { label: 'unexpected over 1 MB', expected: false, detail: `${what}: ${bytes} bytes` };
}

/** A refusal with the given status whose body matches `message`. */
function refusal(answer: { status?: number; text?: string; body?: string; failure?: string } | Outcome, status: number, message: RegExp): Outcome {
  if (isOutcome(answer)) return answer;
  const text = answer.text ?? answer.body ?? '';
  if (answer.status === undefined) return { label: `error ${answer.failure ?? 'no answer'}`, expected: false };
  if (answer.status !== status) return unexpected(answer.status, text, `expected ${status}`);
  return message.test(text) ? { label: `${status} refused`, expected: true } : unexpected(answer.status, text, `expected ${message}`);
}

function forgedCursor(target: SoakTarget, random: () => number): string {
  const hash = createHash('sha256').update(JSON.stringify([target.cursorQuery, '', '', ''])).digest('base64url').slice(0, 16);
  const body = (o: number) => Buffer.from(JSON.stringify({ o, h: hash })).toString('base64url');
  const variants = [
    () => body(Math.floor(random() * LIMITS.searchOffset)),
    () => body(1e12),
    () => `${body(900)}.${target.issuedCursor.split('.')[1]}`,
    () => target.issuedCursor.slice(0, -2) + (target.issuedCursor.endsWith('AA') ? 'BB' : 'AA'),
    () => `${target.issuedCursor}.${'x'.repeat(20)}`,
  ];
  return pick(variants, random)();
}

function rawOutcome(answer: RawAnswer, ok: (status: number) => boolean): Outcome {
  if (answer.status === undefined) return { label: answer.failure === 'gave up' ? 'gave up (no answer)' : `closed without answer (${answer.failure ?? 'end'})`, expected: answer.failure !== 'gave up' };
  return { label: `${answer.status}${answer.failure ? ` then ${answer.failure}` : ''}`, expected: ok(answer.status) && answer.failure === undefined };
}

export const KINDS: Kind[] = [
  { name: 'normal search', weight: 40, run: (t, r) => search(t, pick(t.queries, r)) },
  { name: 'hot query', weight: 15, run: (t, r) => search(t, pick(t.hotQueries, r)) },
  {
    name: 'big page (REST)', weight: 5,
    run: async (t, r) => boundedRead(await get(`${t.url}/api/documents/${encodeId(t.huge.docId)}/pages/1?start=${Math.floor(r() * (t.huge.chars - 1000))}&chunks_offset=${Math.floor(r() * t.huge.chunks)}`), 'REST page'),
  },
  {
    name: 'big page (viewer)', weight: 4,
    run: async (t, r) => boundedRead(await get(`${t.url}/doc/${encodeId(t.huge.docId)}?page=1&from=${Math.floor(r() * (t.huge.chunks - LIMITS.pageChunks))}`), 'viewer'),
  },
  {
    name: 'big page (MCP read_document)', weight: 4,
    run: async (t, r) => {
      const answer = await mcpCall(t, 'read_document', { doc_id: t.huge.docId, start: Math.floor(r() * (t.huge.chars - 100_000)) });
      if (isOutcome(answer)) return answer;
      const result = toolResult(answer.text);
      if (answer.status !== 200 || !result || result.isError) return unexpected(answer.status, answer.text, 'read_document failed');
      return boundedRead(answer, 'read_document');
    },
  },
  {
    name: 'forged cursor (MCP)', weight: 5,
    run: async (t, r) => {
      const answer = await mcpCall(t, 'search_docs', { query: t.cursorQuery, limit: 20, cursor: forgedCursor(t, r) });
      if (isOutcome(answer)) return answer;
      const result = toolResult(answer.text);
      if (answer.status === 200 && result?.isError && /cursor is not one that this server issued/.test(result.text)) return { label: 'tool error (refused)', expected: true };
      // A cursor over the length limit fails input validation instead: also a clear refusal.
      if (answer.status === 200 && result?.isError && /cursor/.test(result.text)) return { label: 'tool error (invalid input)', expected: true };
      return unexpected(answer.status, answer.text, 'a forged cursor was not refused');
    },
  },
  {
    name: 'batch over the limit', weight: 4,
    run: async (t, r) => {
      const size = LIMITS.rpcBatchMessages + 1 + Math.floor(r() * 40);
      const body = `[${Array.from({ length: size }, (_, i) => toolCallBody('search_docs', { query: pick(t.queries, r), limit: 20 }, i)).join(',')}]`;
      return refusal(await get(`${t.url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, 'mcp-name': 'search_docs', authorization: `Bearer ${t.token}` }, body }), 400, /at most \d+/);
    },
  },
  {
    name: 'oversized query', weight: 5,
    run: async (t, r) => {
      const query = Array.from({ length: 200 + Math.floor(r() * 400) }, () => pick(t.queries, r).split(' ')[0]).join(' ').padEnd(LIMITS.queryChars + 1, 'x');
      return refusal(await get(`${t.url}/api/search?${new URLSearchParams({ q: query })}`), 400, /1000/);
    },
  },
  {
    name: 'bad Host on /mcp', weight: 2,
    run: async (t, r) => refusal(
      await rawRequest(t.url, '/mcp', 'POST', { ...MCP_HEADERS, 'mcp-name': 'search_docs', host: 'evil.example', authorization: `Bearer ${t.token}` }, toolCallBody('search_docs', { query: pick(t.queries, r) }), REQUEST_TIMEOUT_MS),
      403, /Host/i),
  },
  {
    name: 'bad Origin on /mcp', weight: 2,
    run: async (t, r) => refusal(
      await rawRequest(t.url, '/mcp', 'POST', { ...MCP_HEADERS, 'mcp-name': 'search_docs', origin: 'https://evil.example', authorization: `Bearer ${t.token}` }, toolCallBody('search_docs', { query: pick(t.queries, r) }), REQUEST_TIMEOUT_MS),
      403, /Origin/i),
  },
  {
    // One byte every 200 ms: about 20 s for the whole request, while the connection is held open.
    name: 'slow client (drips headers)', weight: 1,
    run: async (t) => rawOutcome(await dripHeaders(t.url, '/api/health', 200, 90_000), (status) => status === 200 || status === 408),
  },
  {
    // 16 KB every 250 ms: the server's answer waits in its socket buffers.
    name: 'slow client (reads a big page slowly)', weight: 1,
    run: async (t, r) => {
      const answer = await slowRead(t.url, `/doc/${encodeId(t.huge.docId)}?page=1&from=${Math.floor(r() * (t.huge.chunks - LIMITS.pageChunks))}`, {}, 16 * 1024, 250, 120_000);
      const outcome = rawOutcome(answer, (status) => status === 200);
      return outcome.expected && answer.bytes > MB ? { label: 'unexpected over 1 MB', expected: false, detail: `${answer.bytes} bytes` } : outcome;
    },
  },
];
