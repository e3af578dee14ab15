import net from 'node:net';

/**
 * IP addresses as bytes, so ranges can be compared bit by bit whatever notation a resolver or a
 * URL used. Only canonical textual forms are accepted here: URLs reach this code after the WHATWG
 * URL parser has already turned `0x7f.1`, `2130706433` or `0177.0.0.1` into `127.0.0.1`.
 */
export interface IpAddress {
  version: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: Uint8Array;
}

/** Parses a dotted-quad IPv4 or an IPv6 address (brackets and a `%zone` suffix are ignored). */
export function parseIp(text: string): IpAddress | undefined {
  let value = text.trim();
  if (value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1);
  const zone = value.indexOf('%');
  if (zone >= 0) value = value.slice(0, zone);
  if (net.isIPv4(value)) return { version: 4, bytes: parseIpv4(value) };
  if (net.isIPv6(value)) return { version: 6, bytes: parseIpv6(value) };
  return undefined;
}

function parseIpv4(value: string): Uint8Array {
  return Uint8Array.from(value.split('.').map(Number));
}

/** Expands `::` and an embedded dotted-quad tail into 16 bytes; `value` is known to be valid. */
function parseIpv6(value: string): Uint8Array {
  const bytes = new Uint8Array(16);
  const [head, tail] = value.split('::') as [string, string | undefined];
  const words = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const expand = (parts: string[]): number[] =>
    parts.flatMap((part) => {
      if (part.includes('.')) {
        const v4 = parseIpv4(part);
        return [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
      }
      return [parseInt(part, 16)];
    });
  if (tail === undefined) {
    expand(words(head)).forEach((word, i) => writeWord(bytes, i, word));
    return bytes;
  }
  const before = expand(words(head));
  const after = expand(words(tail));
  before.forEach((word, i) => writeWord(bytes, i, word));
  after.forEach((word, i) => writeWord(bytes, 8 - after.length + i, word));
  return bytes;
}

function writeWord(bytes: Uint8Array, index: number, word: number): void {
  bytes[index * 2] = word >> 8;
  bytes[index * 2 + 1] = word & 0xff;
}

export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return Array.from(ip.bytes).join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((ip.bytes[i]! << 8) | ip.bytes[i + 1]!).toString(16));
  // The longest run of two or more zero words becomes `::` (RFC 5952).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== '0') {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === '0') j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return words.join(':');
  return `${words.slice(0, bestStart).join(':')}::${words.slice(bestStart + bestLength).join(':')}`;
}

/** A network: an address and how many leading bits of it are fixed. */
export interface Cidr {
  network: IpAddress;
  prefixLength: number;
}

/** `10.0.0.0/8`, `fd00::/8`, or a bare address (a /32 or /128). Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const network = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!network) return undefined;
  const maxLength = network.version === 4 ? 32 : 128;
  if (slash < 0) return { network, prefixLength: maxLength };
  const lengthText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  return prefixLength <= maxLength ? { network, prefixLength } : undefined;
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.network.version !== ip.version) {
    // An IPv4 network also covers the IPv4-mapped form of its addresses (::ffff:a.b.c.d).
    const mapped = ip.version === 6 ? ipv4MappedIn(ip) : undefined;
    return mapped !== undefined && cidrContains(cidr, mapped);
  }
  return prefixMatches(cidr.network.bytes, ip.bytes, cidr.prefixLength);
}

export function prefixMatches(network: Uint8Array, bytes: Uint8Array, prefixLength: number): boolean {
  const whole = prefixLength >> 3;
  for (let i = 0; i < whole; i += 1) if (network[i] !== bytes[i]) return false;
  const rest = prefixLength & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (network[whole]! & mask) === (bytes[whole]! & mask);
}

/** The IPv4 address inside ::ffff:a.b.c.d, if that is what `ip` is. */
function ipv4MappedIn(ip: IpAddress): IpAddress | undefined {
  const b = ip.bytes;
  for (let i = 0; i < 10; i += 1) if (b[i] !== 0) return undefined;
  return b[10] === 0xff && b[11] === 0xff ? { version: 4, bytes: b.slice(12) } : undefined;
}
