import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryObject } from '../../src/search/query-object.js';

const object = (query: string) => queryObject(query)?.text;

test('the object of a how-to question is the words after its verb, up to a preposition, a function word or punctuation', () => {
  assert.equal(object('How do I enable jumbo frames on the firewalls deployed by the templates?'), 'jumbo frames');
  assert.equal(object('how can we send a NOT_READY reason code when the agent changes state'), 'NOT_READY reason code');
  assert.equal(object('How should I size the subnets for the gateway?'), 'subnets');
  assert.equal(object('how to spread the instances over several zones'), 'instances');
  assert.equal(object("How do I move a scale group that's already running?"), 'scale group');
  assert.equal(object('How do I attach the hub, and where?'), 'hub');
});

test('a particle of the verb, a determiner and words of which or how much are not part of the object', () => {
  assert.equal(object('How do I turn on clustering across the instances?'), 'clustering');
  assert.equal(object('How do I set up client logging so messages get published?'), 'client logging');
  assert.equal(object('How do I tear down the whole deployment?'), 'deployment');
  assert.equal(object('How do I set the smallest number of firewalls?'), 'firewalls');
  assert.equal(object('How do I add a few more VMs by hand?'), 'VMs');
});

test('a question that asks no how-to, or whose verb acts on no named thing, has no object', () => {
  assert.equal(object('What got fixed in release 1.2.2?'), undefined);
  assert.equal(object('How am I supposed to reach the web UI?'), undefined);
  assert.equal(object('How do I look at the logs?'), undefined);
  assert.equal(object('How long does the scale-in wait?'), undefined);
  assert.equal(object('Then I log in?'), undefined);
});

test('an adverb before the verb is not the verb, and a parenthesis ends the object', () => {
  assert.equal(object('How do I also enable packet capture (pcap) on the gateway?'), 'packet capture');
  assert.equal(object('How do I use spot instances?'), 'spot instances');
});

test('in "X of Y" the object is Y: X is an idiom of the verb or a part or amount of it', () => {
  assert.equal(object('How do I get rid of the static routes the plugin pushed?'), 'static routes');
  assert.equal(object('How do I take a backup of the running configuration?'), 'running configuration');
  assert.equal(object('How do I change the number of instances?'), 'instances');
});
