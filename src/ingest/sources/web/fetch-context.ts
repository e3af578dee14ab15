import { AddressPolicy } from './address-policy.js';
import { HostLimiter } from './host-limiter.js';
import { createAgents, destroyAgents } from './http-exchange.js';
import { PUBLIC_HOST_RATE, type FetchOptions } from './options.js';
import { flagFor } from './refusal.js';
import { systemResolver, type Resolver } from './resolver.js';
import type { FetchContext } from './safe-fetch.js';
import { userAgent } from './user-agent.js';
import { WebSourceError } from './web-source-error.js';

/** What the caller supplies besides options: hooks that cannot be written as JSON. */
export interface WebRuntime {
  /** Cancels everything in flight; a crawl stops and keeps a resumable state. */
  signal?: AbortSignal;
  /** Name resolution; defaults to the operating system's. Every answer is checked before use. */
  resolver?: Resolver;
}

/** The address policy of these options; a malformed allow-list entry is an options error. */
export function addressPolicyFor(settings: FetchOptions, source: string): AddressPolicy {
  try {
    return new AddressPolicy(settings);
  } catch (error) {
    throw new WebSourceError('invalid-options', source, (error as Error).message, `Fix ${flagFor('allowPrivateHosts')}`);
  }
}

/** One set of connections, limits and checks, shared by every request of a fetch or a crawl. */
export function openFetchContext(
  settings: FetchOptions & { concurrency?: number; maxRequestsPerSecond?: number },
  policy: AddressPolicy,
  runtime: WebRuntime,
): FetchContext & { close(): void } {
  const agents = createAgents(settings.concurrency ?? 1);
  return {
    policy,
    resolver: runtime.resolver ?? systemResolver,
    agents,
    // A crawl is polite to public hosts by default; a single download is one request.
    limiter: new HostLimiter(settings.maxRequestsPerSecond, settings.concurrency === undefined ? 0 : PUBLIC_HOST_RATE),
    settings,
    userAgent: userAgent(),
    signal: runtime.signal,
    close: () => destroyAgents(agents),
  };
}
