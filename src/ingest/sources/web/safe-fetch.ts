import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AddressPolicy } from './address-policy.js';
import { failureForExchange, failureForStatus, failureFromRefusal, type FetchFailure } from './fetch-failure.js';
import type { HostLimiter } from './host-limiter.js';
import { exchange, ExchangeError, type Agents, type Exchange, type ExchangeLimits } from './http-exchange.js';
import { flagFor, type Refusal } from './refusal.js';
import { resolveTarget, type Resolver } from './resolver.js';
import { backoffMs, isRetryableNetworkCode, isRetryableStatus, retryAfterMs, type RetryOptions } from './retry-policy.js';
import { normalizeUrl, urlShapeRefusal } from './url-normalize.js';
import { parseIp } from './ip-address.js';
import { classifyIp } from './ip-ranges.js';

/**
 * Fetches one URL safely: every hop of a redirect chain is followed by hand and checked again
 * (shape, the caller's scope rule, every resolved address), each connection is pinned to the
 * addresses that were checked, and transient failures are retried with backoff.
 */
export interface FetchSettings extends ExchangeLimits, RetryOptions {
  maxRedirects: number;
}

export interface FetchContext {
  policy: AddressPolicy;
  resolver: Resolver;
  agents: Agents;
  limiter: HostLimiter;
  settings: FetchSettings;
  userAgent: string;
  signal?: AbortSignal;
  random?: () => number;
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface FetchRequest {
  url: URL;
  accept: string;
  /** Validators for a conditional request to this hop, if we hold any. */
  validatorsFor?: (url: string) => Validators | undefined;
  /** Decides whether a redirect target may be followed (scope, robots.txt). */
  checkRedirect?: (target: URL) => Promise<Refusal | undefined>;
  maxBytes?: number;
  maxRedirects?: number;
  truncate?: boolean;
}

/** `url` is where the chain of redirects ended (or failed). */
export type FetchOutcome =
  | { kind: 'ok'; url: URL; status: number; headers: http.IncomingHttpHeaders; body: Uint8Array }
  | { kind: 'not-modified'; url: URL; headers: http.IncomingHttpHeaders }
  | { kind: 'failed'; url: URL; failure: FetchFailure };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function safeFetch(ctx: FetchContext, request: FetchRequest): Promise<FetchOutcome> {
  /** URLs that redirected, in order (the request URL first). */
  const chain: string[] = [];
  const maxRedirects = request.maxRedirects ?? ctx.settings.maxRedirects;
  let url = request.url;
  for (;;) {
    const hop = await fetchHop(ctx, request, url);
    if (hop.kind === 'failed') return { kind: 'failed', url, failure: hop.failure };
    const { status, headers } = hop.exchange;
    if (REDIRECT_STATUSES.has(status) && headers.location) {
      const target = normalizeUrl(headers.location, url);
      chain.push(url.href);
      const refusal = await redirectRefusal(target, chain, maxRedirects, request);
      if (refusal) return { kind: 'failed', url, failure: { ...refusal, status } };
      url = target!;
      continue;
    }
    if (status === 304) return { kind: 'not-modified', url, headers };
    if (status >= 200 && status < 300) return { kind: 'ok', url, status, headers, body: hop.exchange.body };
    return { kind: 'failed', url, failure: failureForStatus(status, hop.attempts) };
  }
}

async function redirectRefusal(target: URL | undefined, chain: string[], maxRedirects: number, request: FetchRequest): Promise<FetchFailure | undefined> {
  const from = chain[chain.length - 1]!;
  if (!target) return { code: 'refused', message: `${from} redirects to an address that is not a valid URL`, hint: 'Report the broken redirect to the site owner' };
  if (chain.includes(target.href)) {
    return { code: 'redirect-loop', message: `redirect loop: ${[...chain, target.href].join(' → ')}`, hint: 'Report the broken redirect to the site owner' };
  }
  if (chain.length > maxRedirects) {
    return { code: 'too-many-redirects', message: `more than ${maxRedirects} redirects, starting at ${chain[0]}`, hint: `Give the URL the redirects end at, or raise ${flagFor('maxRedirects')}` };
  }
  const shape = urlShapeRefusal(target);
  if (shape) return failureFromRefusal('refused', { reason: `redirects to ${target.href}: ${shape.reason}`, hint: shape.hint });
  const refusal = await request.checkRedirect?.(target);
  return refusal ? failureFromRefusal('refused', { reason: `redirects to ${target.href}, ${refusal.reason}`, hint: refusal.hint }) : undefined;
}

type HopResult = { kind: 'answered'; exchange: Exchange; attempts: number } | { kind: 'failed'; failure: FetchFailure; attempts: number };

/** One URL, no redirects: resolve and check, wait for the host's slot, request, retry when transient. */
async function fetchHop(ctx: FetchContext, request: FetchRequest, url: URL): Promise<HopResult> {
  const { settings, signal } = ctx;
  const headers = requestHeaders(ctx, request, url);
  for (let attempt = 0; ; attempt += 1) {
    const attempts = attempt + 1;
    let retryDelay: number;
    try {
      const target = await resolveTarget(url.hostname, ctx.policy, ctx.resolver);
      if ('refused' in target) return { kind: 'failed', failure: failureFromRefusal('blocked-address', target.refused), attempts };
      await ctx.limiter.acquire(url.host, signal, target.addresses.some(({ address }) => isPublicAddress(address)));
      const answer = await exchange({
        url,
        addresses: target.addresses,
        headers,
        agents: ctx.agents,
        limits: { ...settings, maxBytes: request.maxBytes ?? settings.maxBytes },
        wantsBody: (status) => status >= 200 && status < 300 && status !== 204,
        truncate: request.truncate,
        verifyRemote: (address) => ctx.policy.checkAddress(url.hostname, address),
        signal,
      });
      if (!isRetryableStatus(answer.status) || attempt >= settings.retries) return { kind: 'answered', exchange: answer, attempts };
      const asked = retryAfterMs(answer.headers['retry-after']);
      if (asked !== undefined && asked > settings.maxRetryAfterMs) {
        return {
          kind: 'failed',
          attempts,
          failure: {
            code: 'retry-after-too-long',
            status: answer.status,
            message: `the server asked us to come back in ${Math.round(asked / 1000)} s (HTTP ${answer.status}, Retry-After)`,
            hint: 'Try again later',
          },
        };
      }
      retryDelay = asked ?? backoffMs(attempt, settings, ctx.random);
      // A server asking to slow down speaks for the whole host, not just this URL.
      if (answer.status === 429 || answer.status === 503) ctx.limiter.pauseUntil(url.host, Date.now() + retryDelay);
    } catch (error) {
      const failure = toExchangeError(error, signal);
      const retryable = (failure.kind === 'network' && isRetryableNetworkCode(failure.code)) || failure.kind === 'header-timeout' || failure.kind === 'response-timeout';
      if (!retryable || attempt >= settings.retries) return { kind: 'failed', failure: failureForExchange(failure, attempts), attempts };
      retryDelay = backoffMs(attempt, settings, ctx.random);
    }
    try {
      await sleep(retryDelay, undefined, { signal });
    } catch {
      return { kind: 'failed', failure: failureForExchange(new ExchangeError('aborted', 'cancelled'), attempts), attempts };
    }
  }
}

function toExchangeError(error: unknown, signal: AbortSignal | undefined): ExchangeError {
  if (error instanceof ExchangeError) return error;
  if (signal?.aborted) return new ExchangeError('aborted', 'cancelled');
  const code = (error as NodeJS.ErrnoException).code;
  return new ExchangeError('network', (error as Error).message, code);
}

function requestHeaders(ctx: FetchContext, request: FetchRequest, url: URL): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': ctx.userAgent,
    accept: request.accept,
    'accept-encoding': 'gzip, deflate, br',
  };
  const validators = request.validatorsFor?.(url.href);
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  return headers;
}

/** Public addresses get the default rate limit; private ones (allowed explicitly) do not, see HostLimiter. */
function isPublicAddress(address: string): boolean {
  const ip = parseIp(address);
  return ip !== undefined && classifyIp(ip).kind === 'public';
}
