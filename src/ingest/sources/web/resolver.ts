import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { AddressPolicy } from './address-policy.js';
import { bareHost } from './address-policy.js';
import { parseIp } from './ip-address.js';
import type { Refusal } from './refusal.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Turns a host name into addresses. Injectable so tests (and embedders with their own DNS) can
 * decide the answers; the default asks the operating system like any other program would.
 */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dns.promises.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export type Target = { addresses: ResolvedAddress[] } | { refused: Refusal };

/**
 * Resolves a URL's host once and checks every address it got: one forbidden address refuses the
 * host, since we cannot know which one a connection would use. The connection is then pinned to
 * exactly these addresses (see `pinnedLookup`), so a second, different DNS answer (rebinding)
 * never reaches a socket.
 */
export async function resolveTarget(hostname: string, policy: AddressPolicy, resolver: Resolver): Promise<Target> {
  const host = bareHost(hostname);
  const literal = parseIp(host);
  if (literal) {
    const refused = policy.checkAddress(hostname, host);
    return refused ? { refused } : { addresses: [{ address: host, family: literal.version }] };
  }
  const byName = policy.checkHostName(host);
  if (byName) return { refused: byName };
  const addresses = await resolver(host);
  if (addresses.length === 0) {
    throw Object.assign(new Error(`${host} has no addresses`), { code: 'ENOTFOUND' });
  }
  for (const { address } of addresses) {
    const refused = policy.checkAddress(host, address);
    if (refused) return { refused };
  }
  return { addresses };
}

/**
 * A `lookup` for node:net that answers with the addresses already checked instead of asking DNS
 * again. Handles the `all` form that Node's happy-eyeballs connect (autoSelectFamily) uses.
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (wanted.length === 0) {
      const error = Object.assign(new Error(`${hostname} has no IPv${String(options.family)} address`), { code: 'ENOTFOUND' });
      callback(error, options.all ? [] : '', 0);
      return;
    }
    if (options.all) callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, wanted[0]!.address, wanted[0]!.family);
  }) as LookupFunction;
}
