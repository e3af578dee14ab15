import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';

/**
 * What a search answers, on a small library written for it: which version answers (a newest
 * release of release notes only does not hide the previous guide; an older wording never outranks
 * the newest one's), "latest" and "all" as versions, folding within a version, a product and
 * version named in the query, and the relevance floor.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-search-'));
const sources = path.join(root, 'sources');
let library: Library;

function write(relative: string, text: string): void {
  const file = path.join(sources, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const ROUTES = 'Add a static route with the route add command, giving the destination prefix, the next hop address and an optional metric. Static routes survive a reboot once the configuration is saved.';

before(async () => {
  write('acme/router/1.0/admin-guide.md', `# Router Administration Guide

## Health monitor

The health monitor probes every interface once a minute and raises an alarm after three missed probes. Probe results are kept for seven days and can be exported as CSV from the statistics page; the probe interval and the number of missed probes before an alarm are set per interface. To turn off the health monitor, set health_monitor_enabled to false in router.conf and restart the monitoring daemon.

## Static routes

${ROUTES}
`);
  write('acme/router/2.0/release-notes.md', `# Release Notes 2.0

## Health monitor

Health monitor alarms now name the interface instead of the interface index.
`);
  write('acme/switch/1.0/guide.md', `# Switch Guide

## Factory reset

To reset the switch to factory defaults, hold the reset button for ten seconds until the status light blinks. A factory reset restores every default.

## Static routes

${ROUTES}
`);
  write('acme/switch/2.0/guide.md', `# Switch Guide

## Factory reset

Hold the reset button down for ten seconds; the unit then returns to its factory defaults and the status light blinks. Configuration backups taken earlier stay on the USB drive, the licence stays installed, and the management address is requested again by DHCP once the unit has restarted.

## Static routes

${ROUTES} Version 2.0 also accepts routes for IPv6 prefixes.
`);
  write('acme/switch/2.0/guide-revised.md', `# Switch Guide

## Factory reset

Hold the reset button down for ten seconds; the unit then returns to its factory defaults and the status light blinks.
`);
  write('acme/clinic/1.0/dosing.md', `# Clinic Dosing Notes

## Maintenance dose

Patients with Crohn's disease or another inflammatory bowel disease take the higher maintenance dose twice a day, with food.
`);
  write('acme/gateway/2.0/lambda-layer.md', `# Gateway Lambda Layer

## Building the layer

Run the build script on a Linux host with Python 3.9. The resultant autoscale_layer.zip file should be copied to the lambda-python-files folder before the stack is deployed.
`);
  write('acme/scaler/2.0/deployment.md', `# Scaler Deployment Guide

## Scale group defaults

By default, the scale group has the minimum and maximum number of instances as zero. Edit the group in the console to launch instances.

## Scale group changes

You can change the scale group after the stack starts: its launch template, its alarms and its scaling policies. Changes to the group start with the next scaling event, and the group starts them one at a time.
`);
  write('acme/relay/3.1/relay-guide.md', `# Relay Guide

## Delivery retries in 3.1

Relay 3.1 changes delivery retries: in 3.1 the relay retries a delivery on a schedule that backs off, and 3.1 logs every retry on the delivery page.

## Queue limits

By default, the queue holds at most fifty messages before the relay refuses new ones and retries their delivery later.
`);
  for (const [product, ssh] of [['edgefw', 'edgessh.exe'], ['corefw', 'coressh.exe']]) {
    write(`acme/${product}/2.0/function-setup.md`, `# ${product} Function Setup

## SSH client

Download the PuTTY SSH client. Rename the SSH client executable file plink.exe to ${ssh}, then drag it to the folder of the function app.
`);
  }
  library = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {}), 'write');
  const results = await library.add(library.plan([sources]));
  assert.ok(results.every((r) => r.status === 'added'), JSON.stringify(results.map((r) => r.error)));
});
after(async () => {
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('a newest release of release notes only does not hide the previous version\'s guide', async () => {
  const response = await library.search({ query: 'How do I turn off the health monitor alarms of an interface?' });
  const top = response.hits[0]!;
  assert.equal(top.title, 'Router Administration Guide');
  assert.equal(top.versionLabel, '1.0');
  assert.equal(top.match, 'strong');
  // The notes still come, after the guide, from the newer version.
  assert.ok(response.hits.some((h) => h.versionLabel === '2.0' && h.product === 'router'));
});

test('the newest version answers in its own words: an older wording does not outrank it', async () => {
  const response = await library.search({ query: 'How do I reset the switch to factory defaults?' });
  const resets = response.hits.filter((h) => h.product === 'switch' && h.headingPath.includes('Factory reset'));
  assert.equal(resets[0]!.versionLabel, '2.0');
  assert.equal(resets[0], response.hits[0]);
  assert.ok(resets.some((h) => h.versionLabel === '1.0'), 'the older wording is still found, lower');
  assert.ok(response.notices.some((n) => n.includes('Newest relevant version per product: switch 2.0')));
});

test('two revisions of one guide within a version fold into one hit', async () => {
  const response = await library.search({ query: 'hold the reset button for ten seconds', product: 'switch', version: '2.0' });
  assert.equal(response.hits.filter((h) => h.headingPath.includes('Factory reset')).length, 1);
  const [top] = response.hits;
  assert.deepEqual(top!.alsoIn.map((m) => m.versionLabel), ['2.0']);
  assert.notEqual(top!.alsoIn[0]!.chunkId.split('::')[3], top!.chunkId.split('::')[3], 'the other revision is another document');
});

test('with all versions, a passage folded over versions is shown from the newest, the older under also in', async () => {
  const response = await library.search({ query: 'static route next hop address metric', versions: 'all', product: 'switch' });
  const [top] = response.hits;
  assert.equal(top!.versionLabel, '2.0');
  assert.deepEqual(top!.alsoIn.map((m) => m.versionLabel), ['1.0']);
  // "all" as a version means the same.
  const same = await library.search({ query: 'static route next hop address metric', version: 'all', product: 'switch' });
  assert.deepEqual(same.hits.map((h) => h.chunkId), response.hits.map((h) => h.chunkId));
});

test('"latest" as a version is each product\'s newest version', async () => {
  const response = await library.search({ query: 'health monitor alarms and static routes', version: 'latest', limit: 20 });
  assert.ok(response.hits.length > 0);
  assert.ok(response.hits.every((h) => h.versionLabel === '2.0'), response.hits.map((h) => `${h.product} ${h.versionLabel}`).join(', '));
  assert.deepEqual(library.documents({ product: 'router', version: 'latest' }).map((d) => d.versionLabel), ['2.0']);
});

test('a product and version named in the query are searched alone, with a notice saying how to undo it', async () => {
  const named = await library.search({ query: 'In switch 1.0, how do I add a static route?' });
  assert.ok(named.hits.length > 0);
  assert.ok(named.hits.every((h) => h.product === 'switch' && h.versionLabel === '1.0'));
  assert.deepEqual(named.inferredScope?.products.map((p) => [p.product, p.versionLabel]), [['switch', '1.0']]);
  assert.ok(named.notices.some((n) => /Searched only switch 1\.0, which the query names; .*infer_scope/.test(n)), named.notices.join(' | '));

  const undone = await library.search({ query: 'In switch 1.0, how do I add a static route?', inferScope: false });
  assert.equal(undone.inferredScope, undefined);
  assert.ok(undone.hits.some((h) => h.product === 'router' || h.versionLabel === '2.0'), 'without inference the whole library is searched');

  // A version filter given explicitly wins over the query's words.
  const filtered = await library.search({ query: 'In switch 1.0, how do I add a static route?', version: '2.0' });
  assert.ok(filtered.hits.every((h) => h.versionLabel === '2.0'));
});

test('a product named without a version ranks first, and other products stay findable', async () => {
  const response = await library.search({ query: 'How do I add a static route on the router?', limit: 10 });
  assert.equal(response.inferredScope?.applied, 'first');
  assert.equal(response.hits[0]!.product, 'router');
  assert.ok(response.hits.some((h) => h.product === 'switch'));
  assert.ok(response.notices.some((n) => /^Ranked router first, which the query names; .*infer_scope/.test(n)), response.notices.join(' | '));
  assert.equal(response.scope, 'the library, router first (named in the query)');
});

test('a release named right after the product: a whole number names it too, and one the library lacks is said', async () => {
  const whole = await library.search({ query: 'switch 2 factory reset' });
  assert.deepEqual(whole.inferredScope?.products.map((p) => [p.product, p.versionLabel]), [['switch', '2.0']]);
  assert.ok(whole.hits.length > 0 && whole.hits.every((h) => h.product === 'switch' && h.versionLabel === '2.0'));

  const unheld = await library.search({ query: 'switch 3.0 factory reset' });
  assert.equal(unheld.inferredScope?.applied, 'first');
  assert.equal(unheld.hits[0]!.product, 'switch');
  assert.ok(unheld.notices.includes('The library holds no version 3.0 of switch (it holds 1.0, 2.0): the results come from the versions it holds.'), unheld.notices.join(' | '));
  // A count after another word names nothing, and says nothing.
  const count = await library.search({ query: 'switch factory reset takes 10 seconds' });
  assert.ok(!count.notices.some((n) => n.includes('holds no version')), count.notices.join(' | '));
});

test('a bare number names no version: only a product that has it makes it one', async () => {
  const response = await library.search({ query: 'static route with metric 1.0 for the next hop' });
  assert.equal(response.inferredScope, undefined);
});

test('nothing relevant: gibberish and a question the documents do not cover say so; an answerable one keeps its hits', async () => {
  const gibberish = await library.search({ query: 'zzzqqqxxyy nonexistentword' });
  assert.deepEqual(gibberish.hits, []);
  assert.ok(gibberish.bestMatch === 'none' || gibberish.bestMatch === 'weak');
  assert.ok(gibberish.notices.some((n) => n.startsWith('Nothing relevant found for "zzzqqqxxyy nonexistentword" in the library')), gibberish.notices.join(' | '));
  assert.ok(gibberish.notices.some((n) => n.includes('No document contains')));

  const uncovered = await library.search({ query: 'How do I configure BGP graceful restart timers on the router?' });
  assert.deepEqual(uncovered.hits, []);
  assert.equal(uncovered.bestMatch, 'weak');
  // Asked for, the closest passages come back, each marked weak.
  const closest = await library.search({ query: 'How do I configure BGP graceful restart timers on the router?', includeWeak: true });
  assert.ok(closest.hits.length > 0 && closest.hits.every((h) => h.match === 'weak'));

  const answerable = await library.search({ query: 'how to add a static route with a next hop' });
  assert.ok(answerable.hits.length > 0);
  assert.notEqual(answerable.bestMatch, 'weak');
});

test('nothing relevant: a question naming something the closest documents never mention says which name', async () => {
  // Python is in the library (the gateway's layer), never in the switch guides the search is held to.
  const query = 'Hold the reset button down for ten seconds; the unit then returns to its factory defaults, Python says';
  const named = await library.search({ query, product: 'switch' });
  assert.deepEqual(named.hits, []);
  assert.equal(named.bestMatch, 'weak');
  assert.ok(named.notices.some((n) => n.includes('the closest documents never mention "Python"')), named.notices.join(' | '));
  const closest = await library.search({ query, product: 'switch', includeWeak: true });
  assert.ok(closest.hits.length > 0 && closest.hits.every((h) => h.match === 'weak'));
  // Two capitalised words the guides hold, but never together, name something they do not mention.
  const pair = await library.search({ query: query.replace('Python says', 'and the Reset Light blinks'), product: 'switch' });
  assert.ok(pair.notices.some((n) => n.includes('the closest documents never mention "Reset Light"')), pair.notices.join(' | '));
  // Without the name, the same words find their passage.
  const unnamed = await library.search({ query: query.replace(', Python says', ''), product: 'switch' });
  assert.equal(unnamed.bestMatch, 'strong');

  // Names the documents do mention (USB, DHCP) keep the answer.
  const mentioned = await library.search({ query: 'Hold the reset button down for ten seconds; the unit then returns to its factory defaults and asks DHCP for its address', product: 'switch' });
  assert.ok(mentioned.hits.length > 0);
  assert.notEqual(mentioned.bestMatch, 'weak');
  assert.equal(mentioned.hits[0]!.versionLabel, '2.0');
});

test('nothing relevant: a how-to question whose object the closest documents never mention says what it asks about', async () => {
  // "maintenance" is in the library (the clinic's notes), never in the router guides the search is held to.
  const query = 'How do I enable maintenance probes on every interface of the router?';
  const uncovered = await library.search({ query, product: 'router' });
  assert.deepEqual(uncovered.hits, [], uncovered.hits.map((h) => h.match).join(' '));
  assert.equal(uncovered.bestMatch, 'weak');
  assert.ok(uncovered.notices.some((n) => n.includes('the closest documents never mention "maintenance probes"')), uncovered.notices.join(' | '));
  // An object the guides name keeps its answer, whatever the verb ("kill" for "turn off") and words of which or how much.
  for (const answerable of ['How do I kill the health monitor on the router?', 'How do I set the probe interval of each interface?', 'How do I export the whole set of probe results?']) {
    const response = await library.search({ query: answerable, product: 'router' });
    assert.ok(response.hits.length > 0, `${answerable}: ${response.notices.join(' | ')}`);
    assert.notEqual(response.bestMatch, 'weak');
  }
});

test('a name given with a possessive, or another name for it in parentheses, does not make an answer "nothing relevant"', async () => {
  const possessive = await library.search({ query: "Which maintenance dose do patients with Crohn's Disease take?", product: 'clinic' });
  assert.notEqual(possessive.bestMatch, 'weak', possessive.notices.join(' | '));
  assert.equal(possessive.hits[0]?.product, 'clinic');
  const alias = await library.search({ query: 'Which maintenance dose do patients with inflammatory bowel disease (IBD) take?', product: 'clinic' });
  assert.notEqual(alias.bestMatch, 'weak', alias.notices.join(' | '));
  // The name alone, not given as another name for the words before it, is still asked about.
  const named = await library.search({ query: 'Which maintenance dose do patients with IBD take?', product: 'clinic' });
  assert.deepEqual(named.hits, [], named.notices.join(' | '));
});

test('a word the library lacks is read as the compound the library writes apart, and the notice says so', async () => {
  const compound = await library.search({ query: 'where should the resultant autoscalelayer.zip file be copied' });
  assert.equal(compound.hits[0]?.title, 'Gateway Lambda Layer');
  assert.equal(compound.hits[0]?.match, 'strong');
  assert.ok(compound.notices.includes('Read "autoscalelayer" as "autoscale layer": the library has no such word.'), compound.notices.join(' | '));
});

test('a short form in the question finds the page that spells it out ("min/max" for "minimum and maximum")', async () => {
  const response = await library.search({ query: 'What min/max does the scale group start with?' });
  assert.deepEqual(response.hits[0]?.headingPath.at(-1), 'Scale group defaults', JSON.stringify(response.hits.map((h) => h.headingPath)));
  assert.equal(response.hits[0]?.match, 'strong');
});

test('what a question sets itself against is not what it asks about: "like the Edgefw guide says" asks about the other product', async () => {
  const query = 'For the Corefw appliance, do I rename plink.exe to edgessh.exe like the Edgefw guide says, or to something else?';
  const response = await library.search({ query });
  assert.equal(response.hits[0]?.product, 'corefw', JSON.stringify(response.hits.map((h) => h.product)));
  assert.equal(response.hits[0]?.match, 'strong');
  assert.ok(response.notices.some((n) => n.includes('Ranked corefw first')), response.notices.join(' | '));
  assert.ok(response.notices.includes('Read "like the Edgefw guide says" as what the question sets itself against, not what it asks about; name the product as a filter to search it.'), response.notices.join(' | '));
});

test('a question that quotes its own product\'s guide is read whole: "like the Edgefw guide says" about Edgefw', async () => {
  const response = await library.search({ query: 'For the Edgefw appliance, do I rename plink.exe to edgessh.exe like the Edgefw guide says?' });
  assert.equal(response.hits[0]?.product, 'edgefw', JSON.stringify(response.hits.map((h) => h.product)));
  assert.equal(response.hits[0]?.match, 'strong');
  assert.ok(response.notices.some((n) => n.includes('Ranked edgefw first')), response.notices.join(' | '));
  assert.ok(!response.notices.some((n) => n.includes('sets itself against')), response.notices.join(' | '));
});

test('the passage holding the whole question comes before one that repeats the version it names', async () => {
  // Ranked by term weights alone, "Delivery retries in 3.1" (3.1 three times, delivery and retries) leads.
  const response = await library.search({ query: 'With 3.1, how many messages fit in the queue by default before delivery is retried?' });
  assert.deepEqual(response.hits.slice(0, 2).map((h) => [h.headingPath.at(-1), h.match]), [['Queue limits', 'strong'], ['Delivery retries in 3.1', 'partial']]);
  assert.ok(response.hits[0]!.score < response.hits[1]!.score, 'the order is not the ranking score\'s');
});

test('searching reads every document\'s entry but whole rows only of its candidates: a library just opened never reads the whole catalog', async () => {
  const reader = await Library.open(loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {}), 'read');
  try {
    // The store's catalog is read whole only through documents() (listings, filing checks).
    const store = (reader as unknown as { store: { documents: (...args: unknown[]) => unknown } }).store;
    const documents = store.documents.bind(store);
    let wholeReads = 0;
    store.documents = (...args: unknown[]) => {
      wholeReads++;
      return documents(...args);
    };
    const searches = [
      { query: 'static route next hop' },
      { query: 'In switch 1.0, how do I add a static route?' },
      { query: 'How do I add a static route on the router?' },
      { query: 'switch 3.0 factory reset' },
      { query: 'factory reset', product: 'switch', version: 'latest' },
      { query: 'static route', vendor: 'acme', versions: 'all' as const },
    ];
    for (const request of searches) {
      const mine = await reader.search(request);
      const theirs = await library.search(request);
      assert.deepEqual(mine.hits.map((h) => [h.chunkId, h.title, h.alsoIn.map((a) => a.chunkId)]), theirs.hits.map((h) => [h.chunkId, h.title, h.alsoIn.map((a) => a.chunkId)]), request.query);
      assert.ok(mine.hits.length > 0, request.query);
    }
    await assert.rejects(reader.search({ query: 'static route', product: 'nosuchproduct' }), /product "nosuchproduct" is not in the library/);
    assert.equal(wholeReads, 0);
    // A listing reads it, and searches then use it.
    assert.ok(reader.documents({}).length > 0);
    assert.equal(wholeReads, 1);
  } finally {
    await reader.close();
  }
});
