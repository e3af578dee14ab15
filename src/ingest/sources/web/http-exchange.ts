import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { Socket } from 'node:net';
import { pinnedLookup, type ResolvedAddress } from './resolver.js';
import type { Refusal } from './refusal.js';

/**
 * One HTTP GET over node:http/https, with every limit a hostile or broken server needs:
 * a deadline for the response headers, a deadline for the whole response, a byte cap enforced
 * while streaming (before and after decompression), cancellation, and a check of the address
 * the socket really connected to.
 */
export interface ExchangeLimits {
  headerTimeoutMs: number;
  responseTimeoutMs: number;
  maxBytes: number;
}

export interface ExchangeRequest {
  url: URL;
  /** The checked addresses the connection is pinned to. */
  addresses: readonly ResolvedAddress[];
  headers: Record<string, string>;
  agents: Agents;
  limits: ExchangeLimits;
  /** Whether to read the body for this status; other bodies are discarded. */
  wantsBody: (status: number) => boolean;
  /** Past `maxBytes`, keep the first `maxBytes` bytes instead of failing (robots.txt). */
  truncate?: boolean;
  /** Re-checks the address the socket connected to; a refusal aborts the exchange. */
  verifyRemote: (address: string) => Refusal | undefined;
  signal?: AbortSignal;
}

export interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Uint8Array;
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

export function createAgents(maxSockets: number): Agents {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
  return { http: new http.Agent(options), https: new https.Agent(options) };
}

export function destroyAgents(agents: Agents): void {
  agents.http.destroy();
  agents.https.destroy();
}

export type ExchangeFailureKind = 'header-timeout' | 'response-timeout' | 'too-large' | 'network' | 'aborted' | 'blocked' | 'bad-encoding';

export class ExchangeError extends Error {
  constructor(
    readonly kind: ExchangeFailureKind,
    message: string,
    readonly code?: string,
    readonly refusal?: Refusal,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }
}

/** Bodies of statuses we do not read are drained (keeping the connection) only when this small. */
const DRAIN_LIMIT = 64 * 1024;

export function exchange(request: ExchangeRequest): Promise<Exchange> {
  const { url, limits, signal } = request;
  return new Promise<Exchange>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ExchangeError('aborted', 'cancelled'));
      return;
    }
    let settled = false;
    let response: http.IncomingMessage | undefined;
    const timers: NodeJS.Timeout[] = [];
    const finish = (error: ExchangeError | undefined, result?: Exchange): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        response?.destroy();
        reject(error);
      } else resolve(result!);
    };
    const onAbort = (): void => finish(new ExchangeError('aborted', 'cancelled'));

    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, {
      method: 'GET',
      headers: request.headers,
      agent: url.protocol === 'https:' ? request.agents.https : request.agents.http,
      lookup: pinnedLookup(request.addresses),
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(() => {
        if (!response) finish(new ExchangeError('header-timeout', `no response within ${seconds(limits.headerTimeoutMs)}`));
      }, limits.headerTimeoutMs),
      setTimeout(() => finish(new ExchangeError('response-timeout', `the response took longer than ${seconds(limits.responseTimeoutMs)}`)), limits.responseTimeoutMs),
    );

    req.on('socket', (socket: Socket) => {
      const verify = (): void => {
        const remote = socket.remoteAddress;
        const refusal = remote ? request.verifyRemote(remote) : undefined;
        if (refusal) finish(new ExchangeError('blocked', refusal.reason, undefined, refusal));
      };
      if (socket.connecting) socket.once('connect', verify);
      else verify();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      finish(new ExchangeError('network', error.message, error.code));
    });
    req.on('response', (res) => {
      response = res;
      const status = res.statusCode ?? 0;
      if (!request.wantsBody(status)) {
        const length = Number(res.headers['content-length'] ?? Number.NaN);
        if (status === 304 || status === 204 || (Number.isFinite(length) && length <= DRAIN_LIMIT)) res.resume();
        else res.destroy();
        finish(undefined, { status, headers: res.headers, body: new Uint8Array(0) });
        return;
      }
      readBody(res, limits.maxBytes, Boolean(request.truncate)).then(
        (body) => finish(undefined, { status, headers: res.headers, body }),
        (error: ExchangeError) => finish(error),
      );
    });
    req.end();
  });
}

/** Reads and decodes a body, failing (or cutting, with `truncate`) as soon as it passes `maxBytes`. */
function readBody(res: http.IncomingMessage, maxBytes: number, truncate: boolean): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const tooLarge = (what: string): ExchangeError =>
      new ExchangeError('too-large', `the response is larger than the ${formatBytes(maxBytes)} limit (${what})`);
    const announced = Number(res.headers['content-length'] ?? Number.NaN);
    if (!truncate && Number.isFinite(announced) && announced > maxBytes) {
      reject(tooLarge(`it announces ${formatBytes(announced)}`));
      return;
    }
    const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!['identity', '', 'gzip', 'x-gzip', 'deflate', 'br'].includes(encoding)) {
      reject(new ExchangeError('bad-encoding', `the server used content-encoding "${encoding}", which McDewey cannot decode`));
      return;
    }
    const chunks: Buffer[] = [];
    let kept = 0;
    let raw = 0;
    let done = false;
    let decoder: zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress | undefined;
    const complete = (): void => {
      if (done) return;
      done = true;
      resolve(new Uint8Array(Buffer.concat(chunks)));
    };
    const fail = (error: ExchangeError): void => {
      if (done) return;
      done = true;
      decoder?.destroy();
      reject(error);
    };
    const keep = (chunk: Buffer): void => {
      if (done) return;
      if (kept + chunk.length > maxBytes) {
        if (!truncate) return fail(tooLarge(decoder ? 'after decompression' : 'cut while downloading'));
        chunks.push(chunk.subarray(0, maxBytes - kept));
        kept = maxBytes;
        res.destroy();
        decoder?.destroy();
        return complete();
      }
      kept += chunk.length;
      chunks.push(chunk);
    };
    const startDecoder = (first: Buffer): void => {
      if (encoding === 'gzip' || encoding === 'x-gzip') decoder = zlib.createGunzip();
      else if (encoding === 'br') decoder = zlib.createBrotliDecompress();
      // "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
      else decoder = (first[0]! & 0x0f) === 8 ? zlib.createInflate() : zlib.createInflateRaw();
      decoder.on('data', keep);
      decoder.on('end', complete);
      decoder.on('error', (error) => fail(new ExchangeError('bad-encoding', `the ${encoding} body could not be decoded: ${error.message}`)));
    };
    res.on('data', (chunk: Buffer) => {
      raw += chunk.length;
      if (raw > maxBytes && !truncate) return fail(tooLarge('cut while downloading'));
      if (encoding === 'identity' || encoding === '') return keep(chunk);
      if (!decoder) startDecoder(chunk);
      decoder!.write(chunk);
    });
    res.on('end', () => {
      if (decoder) decoder.end();
      else complete();
    });
    res.on('error', (error: NodeJS.ErrnoException) => fail(new ExchangeError('network', `the connection broke while reading: ${error.message}`, error.code)));
    res.on('close', () => {
      if (!res.complete) fail(new ExchangeError('network', 'the server closed the connection before the response was complete', 'ECONNRESET'));
    });
  });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MiB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KiB`;
  return `${bytes} bytes`;
}

function seconds(ms: number): string {
  return `${ms / 1000} s`;
}
