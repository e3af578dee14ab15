import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';

/** The one revision whose tools/call the direct path answers: it has no handshake and no session. */
const REVISION = '2026-07-28';
/**
 * The 2025-era revisions whose stateless tools/call the direct path answers: those the SDK's clients
 * name after the handshake (test/mcp/direct-search.test.ts holds the SDK's answer in each to ours).
 */
const LEGACY_REVISIONS = new Set(['2025-11-25', '2025-06-18']);

/** A search_docs call the endpoint may answer without the MCP SDK (see directSearchCall). */
export interface DirectSearchCall {
  /** The protocol era that frames the answer. */
  era: 'modern' | 'legacy';
  id: string | number;
  /** The tool's arguments, not yet checked against its input schema. */
  arguments: Record<string, unknown>;
}

const MESSAGE_KEYS = ['jsonrpc', 'id', 'method', 'params'];
const PARAMS_KEYS = ['name', 'arguments', '_meta'];
const LEGACY_PARAMS_KEYS = ['name', 'arguments'];
const META_KEYS = [PROTOCOL_VERSION_META_KEY, CLIENT_INFO_META_KEY, CLIENT_CAPABILITIES_META_KEY];
const CLIENT_INFO_KEYS = ['name', 'version'];

/**
 * Whether a parsed POST to /mcp is a tools/call of search_docs in the exact form the SDK clients send
 * (and the bench replays): the call agents make most. The SDK serves such a call through a dozen
 * steps (classifying the body, checking the envelope and the standard headers, a server and a
 * transport for the exchange, the JSON-RPC and tools/call schemas on the way in and out), and on
 * this call they cost the main thread more than the REST route's whole answer. Every one of them
 * judges this form valid: the endpoint answers it itself, with the bytes the SDK would send.
 *
 * Only that form, in either era: a 2026-07-28 call (its `_meta` envelope, and the headers saying
 * what the body says) or a 2025-era one after the handshake (a revision header, no envelope, no
 * session). Every key of the message, its params and its envelope is named here, every header
 * matched exactly. Anything else — an extra key, a client that declares capabilities or more of its
 * identity, another tool, a notification, a batch — goes to the SDK, which serves it or answers its
 * error as always. A subset of what the SDK accepts, never a judgement of its own.
 */
export function directSearchCall(body: unknown, headers: Headers): DirectSearchCall | undefined {
  if (!hasExactly(body, MESSAGE_KEYS)) return undefined;
  const { jsonrpc, id, method, params } = body;
  if (jsonrpc !== '2.0' || method !== 'tools/call' || !(typeof id === 'string' || Number.isSafeInteger(id))) return undefined;
  if (!isObject(params) || params['name'] !== 'search_docs' || !isObject(params['arguments'])) return undefined;
  const era = hasExactly(params, PARAMS_KEYS) && modernCall(params['_meta'], headers) ? 'modern' : hasExactly(params, LEGACY_PARAMS_KEYS) && legacyCall(headers) ? 'legacy' : undefined;
  return era && { era, id: id as string | number, arguments: params['arguments'] };
}

/** The SDK client's envelope (its identity, no capabilities), and the standard headers naming the same. */
function modernCall(meta: unknown, headers: Headers): boolean {
  if (headers.get('mcp-protocol-version') !== REVISION || headers.get('mcp-method') !== 'tools/call' || headers.get('mcp-name') !== 'search_docs') return false;
  if (!hasExactly(meta, META_KEYS) || meta[PROTOCOL_VERSION_META_KEY] !== REVISION) return false;
  const capabilities = meta[CLIENT_CAPABILITIES_META_KEY];
  if (!isObject(capabilities) || Object.keys(capabilities).length > 0) return false;
  const client = meta[CLIENT_INFO_META_KEY];
  return hasExactly(client, CLIENT_INFO_KEYS) && typeof client['name'] === 'string' && typeof client['version'] === 'string';
}

/**
 * A 2025-era call as its clients send it after the handshake: the revision they agreed in its
 * header, an Accept header that passes the SDK's check, none of 2026-07-28's headers, no session.
 */
function legacyCall(headers: Headers): boolean {
  const accept = headers.get('accept') ?? '';
  return LEGACY_REVISIONS.has(headers.get('mcp-protocol-version') ?? '') && accept.includes('application/json') && accept.includes('text/event-stream') &&
    !headers.has('mcp-method') && !headers.has('mcp-name') && !headers.has('mcp-session-id');
}

/** A plain object whose own keys are exactly `keys`, in any order. */
function hasExactly(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (!isObject(value)) return false;
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
