import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';

/** The one revision whose tools/call the direct path answers: it has no handshake and no session. */
const REVISION = '2026-07-28';

/** A search_docs call the endpoint may answer without the MCP SDK (see directSearchCall). */
export interface DirectSearchCall {
  id: string | number;
  /** The tool's arguments, not yet checked against its input schema. */
  arguments: Record<string, unknown>;
}

const MESSAGE_KEYS = ['jsonrpc', 'id', 'method', 'params'];
const PARAMS_KEYS = ['name', 'arguments', '_meta'];
const META_KEYS = [PROTOCOL_VERSION_META_KEY, CLIENT_INFO_META_KEY, CLIENT_CAPABILITIES_META_KEY];
const CLIENT_INFO_KEYS = ['name', 'version'];

/**
 * Whether a parsed POST to /mcp is a 2026-07-28 tools/call of search_docs in the exact form the SDK
 * client sends (and the bench replays): the call agents make most. The SDK serves such a call through
 * a dozen steps (classifying the body, checking the envelope and the standard headers, a server and a
 * transport for the exchange, the JSON-RPC and tools/call schemas on the way in and out), and on
 * this call they cost the main thread more than the REST route's whole answer. Every one of them
 * judges this form valid: the endpoint answers it itself, with the bytes the SDK would send.
 *
 * Only that form: every key of the message, its params and its envelope is named here, and the headers
 * say what the body says, exactly. Anything else — an extra key, a client that declares capabilities
 * or more of its identity, a header with spaces, another tool, a notification — goes to the SDK, which
 * serves it or answers its error as always. A subset the SDK accepts, never a judgement of its own.
 */
export function directSearchCall(body: unknown, headers: Headers): DirectSearchCall | undefined {
  if (headers.get('mcp-protocol-version') !== REVISION || headers.get('mcp-method') !== 'tools/call' || headers.get('mcp-name') !== 'search_docs') return undefined;
  if (!hasExactly(body, MESSAGE_KEYS)) return undefined;
  const { jsonrpc, id, method, params } = body;
  if (jsonrpc !== '2.0' || method !== 'tools/call' || !(typeof id === 'string' || Number.isSafeInteger(id))) return undefined;
  if (!hasExactly(params, PARAMS_KEYS) || params['name'] !== 'search_docs' || !isObject(params['arguments'])) return undefined;
  const meta = params['_meta'];
  if (!hasExactly(meta, META_KEYS) || meta[PROTOCOL_VERSION_META_KEY] !== REVISION) return undefined;
  const capabilities = meta[CLIENT_CAPABILITIES_META_KEY];
  if (!isObject(capabilities) || Object.keys(capabilities).length > 0) return undefined;
  const client = meta[CLIENT_INFO_META_KEY];
  if (!hasExactly(client, CLIENT_INFO_KEYS) || typeof client['name'] !== 'string' || typeof client['version'] !== 'string') return undefined;
  return { id: id as string | number, arguments: params['arguments'] };
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
