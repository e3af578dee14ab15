import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AddressPolicy } from '../../../../src/ingest/sources/web/address-policy.js';
import { cidrContains, formatIp, parseCidr, parseIp } from '../../../../src/ingest/sources/web/ip-address.js';
import { classifyIp, type AddressKind } from '../../../../src/ingest/sources/web/ip-ranges.js';

const kindOf = (address: string): AddressKind => {
  const ip = parseIp(address);
  assert.ok(ip, `${address} should parse`);
  return classifyIp(ip).kind;
};

/** What the URL parser makes of a host, as the crawler sees it. */
const hostOf = (url: string): string => new URL(url).hostname;

describe('IP parsing', () => {
  it('reads IPv4, IPv6 with :: and an IPv4 tail, brackets and zone ids', () => {
    assert.deepEqual([...parseIp('192.168.1.20')!.bytes], [192, 168, 1, 20]);
    assert.equal(formatIp(parseIp('[2001:db8::1]')!), '2001:db8::1');
    assert.equal(formatIp(parseIp('::ffff:10.1.2.3')!), '::ffff:a01:203');
    assert.equal(formatIp(parseIp('fe80::1%eth0')!), 'fe80::1');
    assert.equal(formatIp(parseIp('1:0:0:2:0:0:0:3')!), '1:0:0:2::3');
    assert.equal(formatIp(parseIp('::')!), '::');
  });

  it('rejects what is not an address', () => {
    for (const text of ['example.com', '1.2.3', '256.1.1.1', '1.2.3.4.5', '::g', '']) assert.equal(parseIp(text), undefined, text);
  });

  it('reads networks and tests membership, IPv4 networks covering IPv4-mapped addresses', () => {
    const ten = parseCidr('10.0.0.0/8')!;
    assert.ok(cidrContains(ten, parseIp('10.255.0.1')!));
    assert.ok(!cidrContains(ten, parseIp('11.0.0.1')!));
    assert.ok(cidrContains(ten, parseIp('::ffff:10.9.9.9')!));
    assert.ok(cidrContains(parseCidr('fd00::/8')!, parseIp('fd12::1')!));
    assert.ok(cidrContains(parseCidr('172.16.0.0/12')!, parseIp('172.31.255.255')!));
    assert.ok(!cidrContains(parseCidr('172.16.0.0/12')!, parseIp('172.32.0.0')!));
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('10.0.0.0/x'), undefined);
    assert.equal(parseCidr('::/129'), undefined);
  });
});

describe('IP classification', () => {
  it('classifies the special IPv4 ranges', () => {
    const cases: Array<[string, AddressKind]> = [
      ['127.0.0.1', 'loopback'],
      ['127.255.255.254', 'loopback'],
      ['10.0.0.1', 'private'],
      ['172.16.5.4', 'private'],
      ['192.168.0.1', 'private'],
      ['100.64.0.1', 'shared'],
      ['100.127.255.255', 'shared'],
      ['169.254.1.1', 'link-local'],
      ['169.254.169.254', 'metadata'],
      ['169.254.170.2', 'metadata'],
      ['100.100.100.200', 'metadata'],
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'unspecified'],
      ['224.0.0.251', 'multicast'],
      ['239.255.255.250', 'multicast'],
      ['255.255.255.255', 'broadcast'],
      ['240.0.0.1', 'reserved'],
      ['192.0.2.10', 'documentation'],
      ['198.18.0.1', 'reserved'],
      ['8.8.8.8', 'public'],
      ['172.32.0.1', 'public'],
      ['100.128.0.1', 'public'],
      ['192.169.0.1', 'public'],
    ];
    for (const [address, kind] of cases) assert.equal(kindOf(address), kind, address);
  });

  it('classifies the special IPv6 ranges', () => {
    const cases: Array<[string, AddressKind]> = [
      ['::1', 'loopback'],
      ['::', 'unspecified'],
      ['fe80::1', 'link-local'],
      ['febf::1', 'link-local'],
      ['fc00::1', 'unique-local'],
      ['fdff:ffff::1', 'unique-local'],
      ['fd00:ec2::254', 'metadata'],
      ['fec0::1', 'site-local'],
      ['ff02::1', 'multicast'],
      ['2001:db8::1', 'documentation'],
      ['2001::1', 'reserved'],
      ['100::1', 'reserved'],
      ['2606:4700::1111', 'public'],
      ['2a00:1450:4001::200e', 'public'],
    ];
    for (const [address, kind] of cases) assert.equal(kindOf(address), kind, address);
  });

  it('judges IPv6 forms that carry an IPv4 address by that address', () => {
    const cases: Array<[string, AddressKind, string]> = [
      ['::ffff:127.0.0.1', 'loopback', 'IPv4-mapped'],
      ['::ffff:7f00:1', 'loopback', 'IPv4-mapped'],
      ['::ffff:169.254.169.254', 'metadata', 'IPv4-mapped'],
      ['::ffff:0:10.0.0.1', 'private', 'IPv4-translated'],
      ['::127.0.0.1', 'loopback', 'IPv4-compatible'],
      ['64:ff9b::10.0.0.1', 'private', 'NAT64'],
      ['64:ff9b::a9fe:a9fe', 'metadata', 'NAT64'],
      ['2002:c0a8:0101::1', 'private', '6to4'],
      ['2002:7f00:1::', 'loopback', '6to4'],
    ];
    for (const [address, kind, form] of cases) {
      const found = classifyIp(parseIp(address)!);
      assert.equal(found.kind, kind, address);
      assert.equal(found.embedded?.form, form, address);
      assert.match(found.description, new RegExp(form), address);
    }
    assert.equal(kindOf('::ffff:8.8.8.8'), 'public');
    assert.equal(kindOf('64:ff9b::8.8.8.8'), 'public');
    assert.equal(kindOf('2002:0808:0808::1'), 'public');
  });

  it('catches the odd IPv4 notations the URL parser accepts, because it rewrites them to dotted quads', () => {
    const odd = ['http://0x7f.1/', 'http://2130706433/', 'http://0177.0.0.1/', 'http://127.1/', 'http://0x7f000001/', 'http://%31%32%37.0.0.1/', 'http://0/'];
    for (const url of odd) {
      const host = hostOf(url);
      assert.ok(['127.0.0.1', '0.0.0.0'].includes(host), `${url} → ${host}`);
      assert.notEqual(kindOf(host), 'public', url);
    }
    assert.equal(hostOf('http://0xa9.0xfe.0xa9.0xfe/'), '169.254.169.254');
    assert.equal(kindOf(hostOf('http://0xa9.0xfe.0xa9.0xfe/')), 'metadata');
    assert.equal(kindOf(hostOf('http://[::ffff:127.0.0.1]/').slice(1, -1)), 'loopback');
    assert.equal(kindOf(hostOf('http://[0:0:0:0:0:ffff:a9fe:a9fe]/').slice(1, -1)), 'metadata');
  });
});

describe('AddressPolicy', () => {
  const strict = new AddressPolicy({ allowPrivate: false, allowPrivateHosts: [] });

  it('refuses non-public addresses by default, saying which address, why, and which flag lifts it', () => {
    const refusal = strict.checkAddress('docs.example', '10.1.2.3');
    assert.ok(refusal);
    assert.match(refusal.reason, /docs\.example resolves to 10\.1\.2\.3, a private address \(RFC 1918\)/);
    assert.match(refusal.hint, /--allow-private\b/);
    assert.match(refusal.hint, /--allow-private-hosts/);
    assert.equal(strict.checkAddress('docs.example', '93.184.216.34'), undefined);
    assert.match(strict.checkAddress('127.0.0.2', '127.0.0.2')!.reason, /^127\.0\.0\.2, a loopback address/);
  });

  it('refuses metadata addresses even with allowPrivate; only an exact network entry lifts that', () => {
    const open = new AddressPolicy({ allowPrivate: true, allowPrivateHosts: [] });
    assert.equal(open.checkAddress('x', '10.0.0.1'), undefined);
    assert.equal(open.checkAddress('x', '::1'), undefined);
    const refusal = open.checkAddress('x', '169.254.169.254');
    assert.ok(refusal);
    assert.match(refusal.reason, /metadata/);
    assert.match(refusal.hint, /does not lift this/);
    assert.ok(open.checkAddress('x', 'fd00:ec2::254'));
    assert.ok(open.checkAddress('x', '::ffff:169.254.169.254'));
    const exact = new AddressPolicy({ allowPrivate: false, allowPrivateHosts: ['169.254.169.254'] });
    assert.equal(exact.checkAddress('x', '169.254.169.254'), undefined);
  });

  it('lifts the refusal for listed networks and host names only', () => {
    const policy = new AddressPolicy({ allowPrivate: false, allowPrivateHosts: ['127.0.0.1', '10.20.0.0/16', 'docs.internal', '*.corp.example'] });
    assert.equal(policy.checkAddress('anything', '127.0.0.1'), undefined);
    assert.ok(policy.checkAddress('anything', '127.0.0.2'));
    assert.equal(policy.checkAddress('anything', '10.20.3.4'), undefined);
    assert.ok(policy.checkAddress('anything', '10.21.3.4'));
    assert.equal(policy.checkAddress('docs.internal', '192.168.1.1'), undefined);
    assert.equal(policy.checkAddress('wiki.corp.example', '192.168.1.1'), undefined);
    assert.ok(policy.checkAddress('corp.example.evil', '192.168.1.1'));
    assert.ok(policy.checkAddress('docs.internal', '169.254.169.254'), 'a host entry never reaches metadata');
  });

  it('refuses metadata and loopback names before any resolution', () => {
    assert.match(strict.checkHostName('metadata.google.internal')!.reason, /metadata/);
    assert.match(strict.checkHostName('METADATA.GOOGLE.INTERNAL.')!.reason, /metadata/);
    assert.match(strict.checkHostName('localhost')!.reason, /loopback/);
    assert.match(strict.checkHostName('app.localhost')!.reason, /loopback/);
    assert.equal(strict.checkHostName('docs.example.com'), undefined);
    assert.equal(new AddressPolicy({ allowPrivate: true, allowPrivateHosts: [] }).checkHostName('localhost'), undefined);
  });

  it('rejects malformed allow-list entries with the flag name', () => {
    assert.throws(() => new AddressPolicy({ allowPrivate: false, allowPrivateHosts: ['http://x/'] }), /--allow-private-hosts: "http:\/\/x\/"/);
    assert.throws(() => new AddressPolicy({ allowPrivate: false, allowPrivateHosts: ['10.0.0.0/40'] }), /--allow-private-hosts/);
  });
});
