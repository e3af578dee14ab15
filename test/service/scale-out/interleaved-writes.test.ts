import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { dataDirAt } from '../../../src/library/data-dir.js';
import { LibraryError } from '../../../src/library/errors.js';
import { ScaleOutNode } from '../../../src/service/scale-out/scale-out-node.js';
import { postgresTestOptions, usePostgresCluster } from '../../support/postgres.js';
import { documentRecord, FAKE_EMBEDDER } from '../../store/record-fixtures.js';
import { replicaState } from './replica-state.js';

/**
 * Property: writes through different nodes, interleaved at random (several at once, to the same
 * documents, with embedder changes among them), end with every node's replica, and so its index
 * and rankings, equal to that of a node built fresh from PostgreSQL afterwards.
 */
type Op =
  | { kind: 'write'; node: number; doc: number; variant: number }
  | { kind: 'remove'; node: number; doc: number }
  | { kind: 'embedder'; node: number; other: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('write' as const), node: fc.nat(2), doc: fc.nat(5), variant: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('remove' as const), node: fc.nat(2), doc: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('embedder' as const), node: fc.nat(2), other: fc.boolean() }) },
);

const QUERIES = ['circuit', 'provider network', 'variant 2', 'termination point'];
let runs = 0;
const options = postgresTestOptions();
const pg = usePostgresCluster();
const cacheDir = () => dataDirAt(pg.folder('mcdewey-prop-'));

async function apply(nodes: ScaleOutNode[], step: Op): Promise<void> {
  const node = nodes[step.node]!;
  if (step.kind === 'embedder') return node.setEmbedderIdentity(step.other ? { ...FAKE_EMBEDDER, name: 'other-8' } : FAKE_EMBEDDER);
  if (step.kind === 'remove') return void (await node.remove(`finesse::12.5::guides::doc-${step.doc}`));
  const texts = [`Variant ${step.variant} of document ${step.doc}: the circuit termination point.`, `The provider network of doc ${step.doc}, variant ${step.variant}.`];
  // The vectors are the fake embedder's: once a switch to the other one commits first, the write is
  // refused (as a real add would be) instead of storing vectors of a model the library no longer uses.
  const record = { ...(await documentRecord({ document: `doc-${step.doc}`, texts: texts.slice(0, 1 + (step.variant % 2)) })), embedder: FAKE_EMBEDDER.name };
  try {
    await node.commit(record);
  } catch (error) {
    if (!(error instanceof LibraryError && error.code === 'conflict' && /embedder changed/.test(error.message))) throw error;
  }
}

describe('interleaved writes through three nodes', options, () => {
  test('every node ends equal to a fresh rebuild', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }), async (rounds) => {
        const url = pg.database(`interleaved_${++runs}`);
        const nodes = [await ScaleOutNode.open(url, cacheDir(), { snapshotEvery: 0 })];
        nodes.push(...(await Promise.all([0, 1].map(() => ScaleOutNode.open(url, cacheDir(), { snapshotEvery: 0 })))));
        let fresh: ScaleOutNode | undefined;
        try {
          await nodes[0]!.setEmbedderIdentity(FAKE_EMBEDDER);
          // The operations of a round run at once, through their nodes.
          for (const round of rounds) await Promise.all(round.map((step) => apply(nodes, step)));
          fresh = await ScaleOutNode.open(url, cacheDir(), { snapshotEvery: 0 });
          assert.equal((await fresh.status()).startedFrom, 'rebuild');
          const expected = await replicaState(fresh.replica, QUERIES);
          for (const node of nodes) {
            await node.catchUp();
            assert.deepEqual(await replicaState(node.replica, QUERIES), expected);
          }
          // No vectors of a model other than the recorded one were stored.
          const identity = await nodes[0]!.record.embedderIdentity();
          if (identity?.name !== FAKE_EMBEDDER.name) {
            for (const node of [...nodes, fresh]) assert.equal(node.replica.counts().vectors, 0);
          }
        } finally {
          await fresh?.close();
          for (const node of nodes) await node.close();
        }
      }),
      { numRuns: 12 },
    );
  });
});
