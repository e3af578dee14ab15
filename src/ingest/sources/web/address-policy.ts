import { cidrContains, parseCidr, parseIp, type Cidr } from './ip-address.js';
import { classifyIp } from './ip-ranges.js';
import { flagFor, type Refusal } from './refusal.js';

/**
 * Which hosts and addresses a fetch may reach (server-side request forgery protection). By
 * default only public addresses: a document URL must never become a way to read the cloud
 * metadata service, an admin page on localhost or a device on the office network.
 *
 * - `allowPrivate` lifts the refusal of loopback, private, link-local and other non-public
 *   addresses, but not of cloud metadata addresses: no documentation lives there.
 * - `allowPrivateHosts` lists host names (`docs.intranet`, `*.corp.example`) whose addresses
 *   may be private, and networks (`10.1.0.0/16`, `127.0.0.1`) that may be reached whatever
 *   name led there. Only a network entry can allow a metadata address.
 */
export interface AddressPolicyOptions {
  allowPrivate: boolean;
  allowPrivateHosts: readonly string[];
}

/** Names that reach a metadata service without going through an address we could check. */
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data', 'instance-data.ec2.internal']);

const ALLOW_PRIVATE = flagFor('allowPrivate');
const ALLOW_HOSTS = flagFor('allowPrivateHosts');

export class AddressPolicy {
  private readonly networks: Cidr[] = [];
  private readonly exactHosts = new Set<string>();
  private readonly hostSuffixes: string[] = [];

  constructor(private readonly options: AddressPolicyOptions) {
    for (const raw of options.allowPrivateHosts) {
      const entry = raw.trim().toLowerCase();
      const cidr = parseCidr(entry);
      if (cidr) this.networks.push(cidr);
      else if (/^\*\.[a-z0-9.-]+$/.test(entry)) this.hostSuffixes.push(bareHost(entry.slice(1)));
      else if (/^[a-z0-9.-]+$/.test(entry) && !entry.includes('/')) this.exactHosts.add(bareHost(entry));
      else {
        throw new Error(
          `${ALLOW_HOSTS}: "${raw}" is neither a host name (docs.internal, *.corp.example), an IP address nor a network (10.0.0.0/8, fd00::/8)`,
        );
      }
    }
  }

  /**
   * Checks a host name before it is resolved: metadata names and `localhost` are refused by
   * name, so no resolver (or /etc/hosts entry) is consulted for them.
   */
  checkHostName(hostname: string): Refusal | undefined {
    const host = bareHost(hostname);
    if (parseIp(host) || this.hostAllowed(host)) return undefined;
    if (METADATA_NAMES.has(host)) {
      return {
        reason: `${host} is a cloud metadata service name; fetching it could expose credentials of this machine`,
        hint: `No documentation lives there. If you really mean it, list the host in ${ALLOW_HOSTS}`,
      };
    }
    if ((host === 'localhost' || host.endsWith('.localhost')) && !this.options.allowPrivate) {
      return {
        reason: `${host} is this machine (loopback); refused to protect local services`,
        hint: `Pass ${ALLOW_PRIVATE}, or list the host in ${ALLOW_HOSTS}, to fetch from this machine`,
      };
    }
    return undefined;
  }

  /** Checks one address `hostname` resolved to (or the address a connection actually reached). */
  checkAddress(hostname: string, address: string): Refusal | undefined {
    const ip = parseIp(address);
    if (!ip) return { reason: `${hostname} resolved to "${address}", which is not an IP address`, hint: 'Check the DNS configuration of this machine' };
    const found = classifyIp(ip);
    if (found.kind === 'public') return undefined;
    if (this.networks.some((cidr) => cidrContains(cidr, ip))) return undefined;
    const where = bareHost(hostname) === address.replace(/^\[|\]$/g, '') ? address : `${bareHost(hostname)} resolves to ${address}`;
    if (found.kind === 'metadata') {
      return {
        reason: `${where}, ${found.description}; fetching it could expose credentials of this machine`,
        hint: `No documentation lives there; ${ALLOW_PRIVATE} does not lift this. If you really mean it, list the exact address in ${ALLOW_HOSTS}`,
      };
    }
    if (this.options.allowPrivate || this.hostAllowed(bareHost(hostname))) return undefined;
    return {
      reason: `${where}, ${found.description}; refused to protect services on this machine and its network`,
      hint: `Pass ${ALLOW_PRIVATE}, or list the host or its network in ${ALLOW_HOSTS} (e.g. ${ALLOW_HOSTS} docs.internal,10.0.0.0/8), if you mean to fetch from it`,
    };
  }

  private hostAllowed(host: string): boolean {
    return this.exactHosts.has(host) || this.hostSuffixes.some((suffix) => host.endsWith(suffix));
  }
}

/** Lower case, without IPv6 brackets or the trailing dot of a fully qualified name. */
export function bareHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}
