import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withEitherSignal } from '../../src/mcp/either-signal.js';

/** Runs until its signal aborts, and answers with the reason. */
const untilAborted = (signal: AbortSignal) => new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

describe('withEitherSignal', () => {
  for (const which of ['first', 'second'] as const) {
    it(`aborts the work when the ${which} signal aborts, with its reason`, async () => {
      const a = new AbortController();
      const b = new AbortController();
      const running = withEitherSignal(a.signal, b.signal, untilAborted);
      (which === 'first' ? a : b).abort('gone');
      assert.equal(await running, 'gone');
    });
  }

  it('hands work an aborted signal when one already is', async () => {
    const a = new AbortController();
    a.abort('before');
    assert.equal(await withEitherSignal(new AbortController().signal, a.signal, async (signal) => signal.reason), 'before');
  });

  it('lets go of both signals once the work ends', async () => {
    const a = new AbortController();
    const b = new AbortController();
    let kept!: AbortSignal;
    assert.equal(await withEitherSignal(a.signal, b.signal, async (signal) => ((kept = signal), 'done')), 'done');
    a.abort();
    b.abort();
    assert.equal(kept.aborted, false, 'an abort after the work ended no longer reaches its signal');
  });
});
