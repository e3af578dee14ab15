import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../../src/service/library.js';
import { loadConfig } from '../../src/config/config.js';
import { bytesSource, fileSource } from '../../src/ingest/sources/source.js';

/**
 * A document's identity includes where it came from: a different source at an occupied id is
 * refused (unless replacing), the same source with new bytes is an update, identical bytes with
 * corrected labels are applied, and two processes adding one product under two vendors at once
 * leave one vendor, never two.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-identity-'));
const config = loadConfig({ data: path.join(root, 'data'), embedder: 'none' }, {});
const LABELS = { vendor: 'Acme', product: 'phone', version: '12.5' };
const DOC = 'phone::12.5::guide::guide';
let library: Library;

function write(relative: string, text: string): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

const guide = (what: string) => `# Phone guide\n\n## Setup\n\nThis guide explains ${what} in enough words to make a chunk of text.\n`;

before(async () => {
  library = await Library.open(config, 'write');
});
after(async () => {
  await library.close();
  fs.rmSync(root, { recursive: true, force: true });
});

test('another file of the same name is refused, naming both and the flags that resolve it; --replace replaces it', async () => {
  const first = write('team-a/guide.md', guide('voicemail'));
  const [added] = await library.add(library.plan([first], LABELS));
  assert.equal(added!.status, 'added', added!.error);

  const second = write('team-b/guide.md', guide('call forwarding'));
  const [refused] = await library.add(library.plan([second], LABELS));
  assert.equal(refused!.status, 'failed');
  assert.match(refused!.error!, new RegExp(`${DOC} is already taken by another document \\(from file ${first.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}\\); this one is file ${second.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}`));
  assert.match(refused!.error!, /--replace/);
  assert.match(refused!.error!, /--document <name> or --collection <name>/);
  assert.match(library.chunk(`${DOC}::0`).chunk.text, /voicemail/, 'the first one is intact');

  const [elsewhere] = await library.add(library.plan([second], { ...LABELS, document: 'guide-b' }));
  assert.equal(elsewhere!.status, 'added', elsewhere!.error);
  assert.equal(elsewhere!.docId, 'phone::12.5::guide-b::guide-b');

  const [replaced] = await library.add(library.plan([second], LABELS), undefined, { replace: true });
  assert.equal(replaced!.status, 'updated', replaced!.error);
  assert.match(library.chunk(`${DOC}::0`).chunk.text, /call forwarding/);
  assert.deepEqual(library.document(DOC).origin, { kind: 'file', path: second });
  assert.deepEqual(library.verify(), []);
});

test('the same file with new bytes is an update; identical bytes with corrected labels and title are applied', async () => {
  const file = path.join(root, 'team-b/guide.md');
  fs.writeFileSync(file, guide('conference calls'));
  const [updated] = await library.add(library.plan([file], LABELS));
  assert.equal(updated!.status, 'updated', updated!.error);
  assert.match(library.chunk(`${DOC}::0`).chunk.text, /conference calls/);

  const [unchanged] = await library.add(library.plan([file], LABELS));
  assert.equal(unchanged!.status, 'unchanged');

  const corrected = { vendor: 'Acme', product: 'Phone', version: '12.5', title: 'Phone Administration Guide' };
  const [relabelled] = await library.add(library.plan([file], corrected));
  assert.equal(relabelled!.status, 'relabelled', relabelled!.error);
  const doc = library.document(DOC);
  assert.equal(doc.title, 'Phone Administration Guide');
  assert.equal(doc.productLabel, 'Phone');
  const hits = (await library.search({ query: 'administration', product: 'phone' })).hits;
  assert.equal(hits[0]?.title, 'Phone Administration Guide', 'the new title is indexed');
  const onDisk = fs.readFileSync(path.join(config.data, 'library', 'phone', '12.5', 'guide', 'guide.md'), 'utf8');
  assert.match(onDisk, /title: "Phone Administration Guide"/);
  assert.deepEqual(library.verify(), []);
});

test('an upload cannot be told from another file of the same name: different bytes are refused unless replacing', async () => {
  const upload = (text: string) =>
    bytesSource({ name: 'notes.md', origin: { kind: 'upload', name: 'notes.md' }, location: 'notes.md', labels: { ...LABELS, document: 'notes' } }, new TextEncoder().encode(text));
  assert.equal((await library.add([upload(guide('paging groups'))]))[0]!.status, 'added');
  assert.equal((await library.add([upload(guide('paging groups'))]))[0]!.status, 'unchanged', 'identical bytes are the same document');
  const [refused] = await library.add([upload(guide('hunt groups'))]);
  assert.equal(refused!.status, 'failed');
  assert.match(refused!.error!, /from upload "notes\.md"\); this one is upload "notes\.md"/);
  assert.equal((await library.add([upload(guide('hunt groups'))], undefined, { replace: true }))[0]!.status, 'updated');
});

test('two adds of one product under two vendors at once: one wins, the other is refused, nothing inconsistent', async () => {
  // Two libraries are two connections, as two processes would have. Both pass the early check
  // before either commits, so only the check under the write lock can refuse the second.
  const other = await Library.open(config, 'write');
  try {
    const cisco = write('race/cisco.md', guide('the Cisco flavour'));
    const juniper = write('race/juniper.md', guide('the Juniper flavour'));
    const [a, b] = await Promise.all([
      library.add(library.plan([cisco], { vendor: 'Cisco', product: 'router', version: '1' })),
      other.add(other.plan([juniper], { vendor: 'Juniper', product: 'router', version: '1' })),
    ]);
    const results = [a![0]!, b![0]!];
    assert.deepEqual(results.map((r) => r.status).sort(), ['added', 'failed'], JSON.stringify(results));
    const loser = results.find((r) => r.status === 'failed')!;
    assert.match(loser.error!, /product "router" already belongs to vendor "(Cisco|Juniper)", not "(Cisco|Juniper)"/);
    const vendors = new Set(library.documents({ product: 'router' }).map((d) => d.vendor));
    assert.equal(vendors.size, 1);
    assert.deepEqual(library.verify(), []);
    // The product stays usable: its owner can add to it.
    const winner = library.documents({ product: 'router' })[0]!;
    const more = write('race/more.md', guide('more routing'));
    const [next] = await library.add(library.plan([more], { vendor: winner.vendorLabel, product: 'router', version: '1' }));
    assert.equal(next!.status, 'added', next!.error);
  } finally {
    await other.close();
  }
});

test('a file source reads its bytes when ingested, not when planned', () => {
  const file = write('late.md', 'first');
  const source = fileSource(file, LABELS);
  fs.writeFileSync(file, 'second');
  assert.equal(new TextDecoder().decode(source.read()), 'second');
});
