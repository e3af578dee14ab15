import { formatIp, parseCidr, prefixMatches, type Cidr, type IpAddress } from './ip-address.js';

/**
 * Which special-purpose range an address falls in (IANA IPv4/IPv6 Special-Purpose Address
 * Registries, plus the cloud metadata endpoints). Everything not listed is `public`. IPv6 forms
 * that carry an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that IPv4 address,
 * so `::ffff:10.0.0.1` is as private as `10.0.0.1`.
 */
export type AddressKind =
  | 'public'
  | 'metadata'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'unspecified'
  | 'multicast'
  | 'broadcast'
  | 'documentation'
  | 'reserved';

export interface AddressClass {
  kind: AddressKind;
  /** Readable, e.g. "a private address (RFC 1918)". */
  description: string;
  /** When the kind was decided by an IPv4 address carried inside an IPv6 one. */
  embedded?: { form: string; ipv4: string };
}

const DESCRIPTIONS: Readonly<Record<AddressKind, string>> = {
  public: 'a public address',
  metadata: 'a cloud metadata service address',
  loopback: 'a loopback address (this machine)',
  private: 'a private address (RFC 1918)',
  shared: 'a carrier-grade NAT address (100.64.0.0/10)',
  'link-local': 'a link-local address',
  'unique-local': 'a unique-local address (fc00::/7)',
  'site-local': 'a site-local address (fec0::/10)',
  unspecified: 'the unspecified address (it reaches this machine)',
  multicast: 'a multicast address',
  broadcast: 'the broadcast address',
  documentation: 'an address reserved for documentation',
  reserved: 'a reserved special-purpose address',
};

interface Range {
  cidr: Cidr;
  kind: AddressKind;
}

/** Most specific first: the metadata hosts sit inside link-local, CGNAT and reserved ranges. */
const RANGES_V4: readonly Range[] = ranges([
  ['169.254.169.254/32', 'metadata'], // AWS, GCP, Azure, Oracle, DigitalOcean, OpenStack
  ['169.254.170.2/32', 'metadata'], // AWS ECS task metadata
  ['100.100.100.200/32', 'metadata'], // Alibaba Cloud
  ['192.0.0.192/32', 'metadata'], // Oracle Cloud (classic)
  ['255.255.255.255/32', 'broadcast'],
  ['0.0.0.0/8', 'unspecified'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'shared'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'documentation'],
  ['192.88.99.0/24', 'reserved'], // former 6to4 relay anycast
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved'], // benchmarking
  ['198.51.100.0/24', 'documentation'],
  ['203.0.113.0/24', 'documentation'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'],
]);

const RANGES_V6: readonly Range[] = ranges([
  ['fd00:ec2::254/128', 'metadata'], // AWS instance metadata over IPv6
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'reserved'], // local-use NAT64 (RFC 8215)
  ['100::/64', 'reserved'], // discard-only
  ['2001::/23', 'reserved'], // IETF protocol assignments, including Teredo
  ['2001:db8::/32', 'documentation'],
  ['3fff::/20', 'documentation'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
]);

/** IPv6 prefixes whose low or middle bits are an IPv4 address, and where those bits sit. */
const IPV4_CARRIERS: ReadonlyArray<{ cidr: Cidr; form: string; offset: number }> = [
  { cidr: parseCidr('::ffff:0:0/96')!, form: 'IPv4-mapped', offset: 12 },
  { cidr: parseCidr('::ffff:0:0:0/96')!, form: 'IPv4-translated', offset: 12 },
  { cidr: parseCidr('64:ff9b::/96')!, form: 'NAT64', offset: 12 },
  { cidr: parseCidr('2002::/16')!, form: '6to4', offset: 2 },
  // Deprecated IPv4-compatible form; :: and ::1 are matched first by RANGES_V6.
  { cidr: parseCidr('::/96')!, form: 'IPv4-compatible', offset: 12 },
];

function ranges(entries: ReadonlyArray<[string, AddressKind]>): Range[] {
  return entries.map(([text, kind]) => {
    const cidr = parseCidr(text);
    if (!cidr) throw new Error(`bad built-in range ${text}`);
    return { cidr, kind };
  });
}

export function classifyIp(ip: IpAddress): AddressClass {
  const table = ip.version === 4 ? RANGES_V4 : RANGES_V6;
  for (const range of table) {
    if (prefixMatches(range.cidr.network.bytes, ip.bytes, range.cidr.prefixLength)) {
      return { kind: range.kind, description: DESCRIPTIONS[range.kind] };
    }
  }
  if (ip.version === 6) {
    for (const carrier of IPV4_CARRIERS) {
      if (!prefixMatches(carrier.cidr.network.bytes, ip.bytes, carrier.cidr.prefixLength)) continue;
      const ipv4: IpAddress = { version: 4, bytes: ip.bytes.slice(carrier.offset, carrier.offset + 4) };
      const inner = classifyIp(ipv4);
      if (inner.kind === 'public') return inner;
      const text = formatIp(ipv4);
      return {
        kind: inner.kind,
        description: `${inner.description}, as ${carrier.form} IPv6 for ${text}`,
        embedded: { form: carrier.form, ipv4: text },
      };
    }
  }
  return { kind: 'public', description: DESCRIPTIONS.public };
}
