import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryContrast } from '../../src/search/query-contrast.js';

test('a source the question quotes, and the identifier it is quoted for, are contrasted', () => {
  assert.deepEqual(queryContrast('For the ASAv Azure autoscale, do I rename plink.exe to ftdssh.exe like the FTDv guide says, or to something else?'), {
    subject: 'For the ASAv Azure autoscale, do I rename plink.exe to , or to something else?',
    references: ['like the FTDv guide says'],
    identifiers: ['ftdssh.exe'],
  });
  assert.deepEqual(queryContrast('Is there an equivalent of health_check_port on Azure, unlike the AWS docs?')?.identifiers, []);
  assert.equal(queryContrast('Which port instead of the one the 6.6 guide says?')?.subject, 'Which port ?');
});

test('a cue with no source after it is no reference; "not" is no cue; the verb "like" is none', () => {
  assert.equal(queryContrast('I would like to turn off the health monitor'), undefined);
  assert.equal(queryContrast("I'd like to know what the ASA guide says about failover"), undefined);
  assert.equal(queryContrast('I would like to see what the FTDv guide says about ssh'), undefined);
  assert.equal(queryContrast('is there a setting like ConfigFileURL that the IIS manual documents'), undefined);
  assert.equal(queryContrast('Is ConfigFileURL not used anymore?'), undefined);
  assert.equal(queryContrast('why does the scale set behave like this?'), undefined);
});
