import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, type McpServer } from '@modelcontextprotocol/server';
import { claimsRevision } from './protocol-era.js';

/** What one exchange tells the tools of the server that serves it. */
export interface RequestSlot {
  /** The HTTP request's signal (aborted when its client goes away); none over stdio. */
  signal: AbortSignal | undefined;
}

interface Pooled {
  server: McpServer;
  slot: RequestSlot;
  /** Lent to an exchange; false while it waits in the pool. */
  lent: boolean;
  /** The SDK connected it for the exchange (the factory was called). */
  used: boolean;
  /** The exchange's transport closed: the SDK is done with it. */
  closed: boolean;
  /** The handler that asked for it has its response. */
  answered: boolean;
}

/**
 * Built MCP servers kept for the next request of one protocol era. Building one registers every tool and
 * resource (0.1-0.15 ms and most of the garbage of a tools/call); the SDK connects a fresh
 * per-request transport to whatever server the factory returns and drops its connection state
 * when that transport closes (response handlers, abort controllers; a handler answering after
 * that is dropped, and it only ever held its own transport). A server is lent to one exchange
 * at a time and comes back only when both its exchange has closed and the response is built,
 * so a late close on the error path can never close another request's transport.
 *
 * What a server keeps between exchanges is the client's identity, which the SDK seeds from each
 * request's `_meta` envelope, overwriting only the fields the envelope carries: `poolable` lets
 * in only requests whose envelope carries both, so none can see the previous client's.
 *
 * 2025-era requests have a pool of their own (`legacyPoolable`): a 2025-era server learns the
 * client's identity and protocol version only from `initialize` (and a log level from
 * `logging/setLevel`, which McDewey does not offer), so one that only ever answers the stateless
 * read methods stays as it was built. The two pools never share a server: a 2026-07-28 exchange
 * binds its server to that revision.
 */
export class McpServerPool {
  private readonly idle: Pooled[] = [];
  /** The server lent to each request being served, until its response is built. */
  private readonly lent = new WeakMap<Request, Pooled>();

  constructor(
    private readonly build: (slot: RequestSlot) => McpServer,
    /** Servers kept idle: as many as run at once in the steady state is enough. */
    private readonly maxIdle: number,
  ) {
    if (!(Number.isSafeInteger(maxIdle) && maxIdle >= 0)) throw new RangeError(`maxIdle must be a whole number ≥ 0, got ${maxIdle}`);
  }

  /**
   * Serves `request` with `handle` (the SDK's handler) while a pooled server is lent to it: the
   * SDK's factory gets that server from `serverFor(request)`.
   */
  async serve(request: Request, handle: () => Promise<Response>): Promise<Response> {
    const entry = this.idle.pop() ?? this.create();
    entry.lent = true;
    entry.used = false;
    entry.closed = false;
    entry.answered = false;
    entry.slot.signal = request.signal;
    this.lent.set(request, entry);
    try {
      return await handle();
    } finally {
      this.lent.delete(request);
      entry.answered = true;
      this.giveBack(entry);
    }
  }

  /** The server lent to `request`, for the SDK's factory; undefined when the request is not served from the pool. */
  serverFor(request: Request | undefined): McpServer | undefined {
    const entry = request && this.lent.get(request);
    if (!entry) return undefined;
    // From now on it comes back only when its exchange has closed.
    entry.used = true;
    return entry.server;
  }

  private create(): Pooled {
    const slot: RequestSlot = { signal: undefined };
    const entry: Pooled = { server: this.build(slot), slot, lent: false, used: false, closed: false, answered: false };
    // The SDK chains its own close hook in front of this one for each exchange and restores it after.
    entry.server.server.onclose = () => {
      entry.closed = true;
      this.giveBack(entry);
    };
    return entry;
  }

  private giveBack(entry: Pooled): void {
    // A server the SDK took but whose exchange never closed (refused before connecting, or still
    // streaming) is not given back: it is dropped, and the pool builds another when it needs one.
    if (!entry.lent || !entry.answered || (entry.used && !entry.closed)) return;
    entry.lent = false;
    entry.slot.signal = undefined;
    if (this.idle.length < this.maxIdle) this.idle.push(entry);
  }
}

/**
 * Whether a parsed /mcp body may be served by a pooled server: one 2026-07-28 request or
 * notification whose `_meta` envelope carries both the client's info and its capabilities.
 */
export function poolable(body: unknown): boolean {
  if (!claimsRevision(body)) return false;
  const meta = (body as { params: { _meta: Record<string, unknown> } }).params._meta;
  return isObject(meta[CLIENT_INFO_META_KEY]) && isObject(meta[CLIENT_CAPABILITIES_META_KEY]);
}

/**
 * The 2025-era methods a pooled server may answer: one read per request that leaves no state in
 * the server. `initialize`, notifications, batches and anything else get a fresh server.
 */
const STATELESS_LEGACY_METHODS = new Set(['tools/call', 'tools/list', 'resources/read', 'resources/list', 'resources/templates/list', 'completion/complete', 'ping']);

/**
 * Whether a parsed /mcp body that the SDK classifies as 2025-era may be served by a server of the
 * 2025-era pool: a single request (it has an id) for one of the stateless read methods.
 */
export function legacyPoolable(body: unknown): boolean {
  if (!isObject(body)) return false;
  const message = body as Record<string, unknown>;
  return typeof message['method'] === 'string' && STATELESS_LEGACY_METHODS.has(message['method']) && 'id' in message;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
