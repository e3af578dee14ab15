import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryNamePairs, queryNames } from '../../src/search/query-names.js';

const words = (query: string) => queryNames(query).map((n) => n.word);

test('capitalised words inside a sentence, mixed-case and upper-case words are names', () => {
  assert.deepEqual(words('Is there a Terraform module for deploying the FTDv autoscale solution on AWS?'), ['Terraform', 'FTDv', 'AWS']);
  assert.deepEqual(words('Does the plugin support Azure Government or Azure China subscriptions?'), ['Azure', 'Government', 'China']);
  assert.deepEqual(words('GuardDuty findings never reach the firewall'), ['GuardDuty']);
});

test('the first word of a sentence, function words, short abbreviations and identifiers are not names', () => {
  assert.deepEqual(words('Where is the log? Deleted files stay in the bin. I would like OS and UI details'), []);
  assert.deepEqual(words("I'd like the ConfigFile_URL, us-east-1 and VM-Series and the notify-instance-launch event"), []);
  assert.deepEqual(words('what about "Quoted Phrase" here'), []);
});

test('in a question written in title case or capitals, only mixed-case words are names', () => {
  assert.deepEqual(words('How to Configure Client Logging for the NGFWv'), ['NGFWv']);
  assert.deepEqual(words('HOW DO I RESET THE SWITCH'), []);
  // Lower-case content words show it is not title case: capitals are names again.
  assert.deepEqual(words('How do I attach the scale set to an Azure Virtual WAN hub?'), ['Azure', 'Virtual', 'WAN']);
});

test('a name is given once, with the terms the index holds', () => {
  const names = queryNames('Move the Lambdas to Azure, then Azure again and the Lambda');
  assert.deepEqual(names.map((n) => n.word), ['Lambdas', 'Azure']);
  assert.ok(names[0]!.terms.length === 1);
});

test('two neighbouring capitalised words inside a sentence are a two-word name', () => {
  const pairs = (query: string) => queryNamePairs(query).map((n) => n.word);
  assert.deepEqual(pairs('How do I migrate the Palo Alto transit VPC design over to AWS Transit Gateway?'), ['Palo Alto', 'Transit Gateway']);
  // Upper-case and mixed-case words are names of their own; punctuation and sentence starts end a name.
  assert.deepEqual(pairs('Attach it to an Azure Virtual WAN hub'), ['Azure Virtual']);
  assert.deepEqual(pairs('Use Azure, Python and the NGFWv GuardDuty feed. Logging is off'), []);
  assert.deepEqual(pairs('How to Configure Client Logging'), [], 'title case says nothing');
  assert.deepEqual(queryNamePairs('open the Transit Gateway page')[0]!.terms.length, 2);
});

test('a name in parentheses after other words is another name for them, not one a document must hold', () => {
  assert.deepEqual(words('Epigenetic modulating agents (EMAs) modulate the immune response'), []);
  assert.deepEqual(words('Does NF2 (Merlin) activate the kinases?'), []);
  assert.deepEqual(words('How do I resize the Auto Scale Group (ASG) on AWS?'), ['Auto', 'Scale', 'Group', 'AWS']);
  assert.deepEqual(queryNamePairs('Can the launch template (Spot Fleet) be changed?'), []);
  // Not an alias: a parenthesis that opens the question, or a name outside the parentheses.
  assert.deepEqual(words('(Azure) Which Terraform module?'), ['Terraform']);
});

test('a two-word name written with a possessive is also looked for with it ("Crohn\'s Disease")', () => {
  const [pair] = queryNamePairs("The G allele is related to more severe symptoms of Crohn's Disease.");
  assert.equal(pair!.word, 'Crohn Disease');
  assert.deepEqual(pair!.terms, ['crohn', 'diseas']);
  assert.deepEqual(pair!.withPossessive, ['crohn', 's', 'diseas']);
  assert.equal(queryNamePairs('open the Transit Gateway page')[0]!.withPossessive, undefined);
});
