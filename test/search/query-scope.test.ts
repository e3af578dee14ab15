import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferScope, sameVersion, versionMentions, wholeNumberMentions, type ScopeCandidate } from '../../src/search/query-scope.js';

/** A catalogue shaped like the vendor-PDF library: several products sharing words and versions. */
const CATALOG: ScopeCandidate[] = [
  ...['6.6.0', '6.7.0', 'latest-2025-06'].map((v) => ({ product: 'ftdv-autoscale-aws', productLabel: 'ftdv-autoscale-aws', version: v, versionLabel: v })),
  ...['6.6.0', '7.3'].map((v) => ({ product: 'ftdv-autoscale-azure', productLabel: 'ftdv-autoscale-azure', version: v, versionLabel: v })),
  ...['9.15', '9.19'].map((v) => ({ product: 'asav-autoscale-azure', productLabel: 'asav-autoscale-azure', version: v, versionLabel: v })),
  { product: 'asav-guardduty', productLabel: 'asav-guardduty', version: 'latest', versionLabel: 'latest' },
  ...['12.5-1', '12.6'].map((v) => ({ product: 'finesse', productLabel: 'Cisco Finesse', version: v, versionLabel: v === '12.5-1' ? '12.5(1)' : v })),
  ...['1.1', '1.2', '2.0'].map((v) => ({ product: 'vm-series-aws-autoscaling-template', productLabel: 'vm-series-aws-autoscaling-template', version: v, versionLabel: v })),
  { product: 'vm-series-azure-autoscaling', productLabel: 'vm-series-azure-autoscaling', version: '1.1', versionLabel: '1.1' },
];

const scope = (query: string) => {
  const s = inferScope(query, CATALOG);
  return s && { products: s.products, versions: Object.fromEntries(s.versions) };
};

test('a version named with a product that has it narrows to that product and version', () => {
  assert.deepEqual(scope('In FTDv autoscale 6.6.0, how is the health monitor turned off?'), {
    products: ['ftdv-autoscale-aws', 'ftdv-autoscale-azure'],
    versions: { 'ftdv-autoscale-aws': '6.6.0', 'ftdv-autoscale-azure': '6.6.0' },
  });
  assert.deepEqual(scope('ASAv Azure autoscale 9.19: which port is inside?'), { products: ['asav-autoscale-azure'], versions: { 'asav-autoscale-azure': '9.19' } });
  assert.deepEqual(scope('Finesse 12.5(1) gadget logging'), { products: ['finesse'], versions: { finesse: '12.5-1' } });
  // A shorter number names the release it abbreviates: "6.7" is 6.7.0.
  assert.deepEqual(scope('Deployed the FTDv 6.7 AWS autoscale stack'), { products: ['ftdv-autoscale-aws'], versions: { 'ftdv-autoscale-aws': '6.7.0' } });
});

test('between products sharing a version, the name decides', () => {
  assert.deepEqual(scope('Azure Auto Scale Template 1.1 for VM-Series'), { products: ['vm-series-azure-autoscaling'], versions: { 'vm-series-azure-autoscaling': '1.1' } });
  assert.deepEqual(scope('VM-Series autoscaling CFT 1.2: are BYOL licenses released?'), { products: ['vm-series-aws-autoscaling-template'], versions: { 'vm-series-aws-autoscaling-template': '1.2' } });
});

test('a product named without a version narrows to the product', () => {
  assert.deepEqual(scope('is the ASAv guardduty integration single region?'), { products: ['asav-guardduty'], versions: {} });
});

test('numbers that name no version of a named product, and vague names, narrow nothing', () => {
  assert.equal(scope('Does it support TLS 1.2 for the management interface?'), undefined);
  assert.equal(scope('route 10.0.0.0/8 through the autoscale group'), undefined);
  assert.equal(scope('how does autoscale pick an instance'), undefined);
});

test('version mentions and equality of vendor versions', () => {
  assert.deepEqual(versionMentions('v9.19 and 12.5(1), not 10.1.2.3 or 0.0.0.0/0 or IMDSv2'), ['9.19', '12.5(1)']);
  assert.ok(sameVersion('6.7', '6.7.0'));
  assert.ok(sameVersion('12.5(1)', '12.5-1'));
  assert.ok(!sameVersion('9.1', '9.15'));
  assert.ok(!sameVersion('6.7', '6.7.1'));
  assert.ok(!sameVersion('6.6.0', 'latest-2025-06'));
});

test('the words that named the scope are known, so that ranking within the scope can leave them out', () => {
  const named = inferScope('Deployed the FTDv 6.7 AWS auto scale stack: what min/max does the group start with?', CATALOG)!;
  // "auto scale" written apart spells the product's "autoscale"; "6.7" is the version.
  assert.deepEqual([...named.namingTerms].sort(), ['6', '7', 'auto', 'aw', 'ftdv', 'scale'].sort());
  assert.ok(inferScope('ASAv Azure autoscale v9.19 inside port', CATALOG)!.namingTerms.has('v9'), '"v9.19" is the terms "v9" and "19"');
  // A product named without a version: its words, and no bare number.
  const first = inferScope('ASAv Azure autoscale and TLS 1.2', CATALOG)!;
  assert.equal(first.versions.size, 0);
  assert.ok(!first.namingTerms.has('1') && first.namingTerms.has('asav'));
});

test('a whole number names a release only right after the product or "version", and only a release the product has', () => {
  const catalog: ScopeCandidate[] = [
    ...['1', '2', '3', '4'].map((v) => ({ product: 'netbox', productLabel: 'NetBox', version: v, versionLabel: v })),
    ...['8.5', '10.0'].map((v) => ({ product: 'iis', productLabel: 'IIS', version: v, versionLabel: v })),
  ];
  const scoped = (query: string) => {
    const s = inferScope(query, catalog);
    return s && { products: s.products, versions: Object.fromEntries(s.versions) };
  };
  assert.deepEqual(scoped('NetBox 4: how are custom fields validated?'), { products: ['netbox'], versions: { netbox: '4' } });
  assert.deepEqual(scoped('netbox v3 webhooks'), { products: ['netbox'], versions: { netbox: '3' } });
  assert.deepEqual(scoped('webhooks in netbox version 2'), { products: ['netbox'], versions: { netbox: '2' } });
  // "10" is IIS 10.0; "8" abbreviates no release of IIS (8.5 is another).
  assert.deepEqual(scoped('IIS 10 request filtering'), { products: ['iis'], versions: { iis: '10.0' } });
  assert.deepEqual(scoped('IIS 8 request filtering'), { products: ['iis'], versions: {} });
  // A count, a port or a release the product does not have narrows to the product alone.
  assert.deepEqual(scoped('configure 2 interfaces in netbox'), { products: ['netbox'], versions: {} });
  assert.deepEqual(scoped('netbox behind a proxy on port 443'), { products: ['netbox'], versions: {} });
  assert.deepEqual(scoped('netbox 7 plugins'), { products: ['netbox'], versions: {} });
  // The number that named the release is a naming term, as a dotted one is.
  assert.ok(inferScope('NetBox 4 custom fields', catalog)!.namingTerms.has('4'));
  assert.ok(inferScope('NetBox v4 custom fields', catalog)!.namingTerms.has('v4'), 'as the query writes it');
  assert.deepEqual(wholeNumberMentions('IIS 10, port 443, version 2 and v7', new Map([['iis', new Set(['ii'])]])), ['10', '2', '7']);
});

test('a release written right after a named product that the product lacks is reported, a number elsewhere is not', () => {
  assert.deepEqual(inferScope('FTDv AWS autoscale 6.8: how is the health monitor turned off?', CATALOG)!.unheldVersions, [{ product: 'ftdv-autoscale-aws', version: '6.8' }]);
  // The number confirms a name the query gives only in part, as a held version does.
  const partly = inferScope('FTDv autoscale 6.8 health monitor', CATALOG)!;
  assert.deepEqual(partly.products.sort(), ['ftdv-autoscale-aws', 'ftdv-autoscale-azure']);
  assert.deepEqual(partly.unheldVersions.map((u) => u.version), ['6.8', '6.8']);
  assert.deepEqual(inferScope('Cisco Finesse 12.6(2) gadget logging', CATALOG)!.unheldVersions, [{ product: 'finesse', version: '12.6(2)' }]);
  assert.deepEqual(inferScope('ASAv Azure autoscale and TLS 1.2', CATALOG)!.unheldVersions, []);
  // A release it holds is a scope, not a notice.
  assert.deepEqual(inferScope('ASAv Azure autoscale 9.19 inside port', CATALOG)!.unheldVersions, []);
});
