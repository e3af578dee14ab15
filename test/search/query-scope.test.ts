import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inferScope, sameVersion, versionMentions, type ScopeCandidate } from '../../src/search/query-scope.js';

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
  // A product named without a version: its words, and no bare number.
  const first = inferScope('ASAv Azure autoscale and TLS 1.2', CATALOG)!;
  assert.equal(first.versions.size, 0);
  assert.ok(!first.namingTerms.has('1') && first.namingTerms.has('asav'));
});
