import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { runCliAsync } from '../support/cli.js';
import { postgresTestOptions, startTestPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * `mcdewey migrate`: an embedded library (real PDFs, with vectors) copied into PostgreSQL and back
 * into a new data directory; `check` agrees at every step, and the copies answer as the original.
 */
let cluster: TestPostgres | undefined;
let fixture: Fixture | undefined;
const temp: string[] = [];
const options = postgresTestOptions();

before(async () => {
  if (options.skip) return;
  cluster = await startTestPostgres();
  fixture = await buildFixture({ embedder: 'use-lite', sources: ['pdf/cisco/ftdv-autoscale-aws/6.6.0', 'pdf/cisco/asav-autoscale-azure/9.15'] });
  await fixture.library.close();
});
after(async () => {
  cluster?.stop();
  if (fixture) fs.rmSync(fixture.dataDir, { recursive: true, force: true });
  for (const dir of temp) fs.rmSync(dir, { recursive: true, force: true });
});

function folder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

async function cli(args: string[]) {
  const result = await runCliAsync(args);
  assert.equal(result.status, 0, `mcdewey ${args.join(' ')}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

const hitsOf = (json: string) => (JSON.parse(json) as { hits: { chunk_id: string; score: number }[] }).hits.map((h) => [h.chunk_id, h.score]);

describe('mcdewey migrate', options, () => {
  test('embedded → PostgreSQL → a new data directory, checked at every step, answering the same', async () => {
    const store = cluster!.createDatabase('migrate');
    const data = fixture!.dataDir;
    const query = ['search', 'autoscale lambda function', '--json', '--limit', '5'];
    const original = hitsOf(await cli(['--data', data, ...query]));
    assert.ok(original.length > 0);

    const toPg = JSON.parse(await cli(['--data', data, 'migrate', '--to', store, '--json'])) as { documents: number; chunks: number; vectors: number; originals: number };
    assert.ok(toPg.documents >= 2);
    assert.equal(toPg.vectors, toPg.chunks);
    assert.equal(toPg.originals, toPg.documents);
    const node = folder('mcdewey-node-');
    assert.deepEqual(JSON.parse(await cli(['--data', node, '--store', store, 'check', '--json'])), { ok: true, problems: [] });
    assert.deepEqual(hitsOf(await cli(['--data', node, '--store', store, ...query])), original);

    const again = await runCliAsync(['--data', data, 'migrate', '--to', store]);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /already holds \d+ documents/);

    const backup = path.join(folder('mcdewey-backup-'), 'library');
    await cli(['--data', node, '--store', store, 'migrate', '--to', backup]);
    assert.deepEqual(JSON.parse(await cli(['--data', backup, 'check', '--json'])), { ok: true, problems: [] });
    assert.deepEqual(hitsOf(await cli(['--data', backup, ...query])), original);
    const pdfs = fs.readdirSync(path.join(backup, 'originals'), { recursive: true }).filter((f) => String(f).endsWith('.pdf'));
    assert.equal(pdfs.length, toPg.documents);
  });
});
