/**
 * Whether the index holds the whole library. A re-index records that it started before it touches
 * anything, and clears that only when every document file was indexed. A re-index that ran out of
 * disk, met unreadable files or was killed leaves the record behind, so the library it serves is
 * known to be partial: every surface (search on the CLI, the web UI, the REST API and MCP; the
 * health route; `mcdewey check`) says so until a re-index finishes cleanly.
 */

import { randomUUID } from 'node:crypto';
import type { RebuildState, WriterStore } from '../store/store.js';
import { storageFailureCode } from '../library/storage-failure.js';

type RebuildStore = Pick<WriterStore, 'rebuildState' | 'setRebuildState'>;

/**
 * Records that a re-index starts. If even that cannot be written (a full disk), the re-index fails
 * here, before it changes anything.
 */
export function beginRebuild(store: RebuildStore): RebuildState {
  const state: RebuildState = { startedAt: new Date().toISOString(), id: randomUUID() };
  store.setRebuildState(state);
  return state;
}

/**
 * Records how a re-index ended: cleared when every file was indexed, else the count of files it
 * could not index and why the first failed. When that cannot be written either, the record of
 * its start stays, which still says the index may be partial. Only its own record: when another
 * re-index started meanwhile (another process; writes serialise per document, not per re-index),
 * the record is that one's, and clearing it would call the index whole should that one be killed.
 */
export function finishRebuild(store: RebuildStore, started: RebuildState, files: number, failures: unknown[]): void {
  try {
    if (failures.length === 0) store.setRebuildState(undefined, started);
    else store.setRebuildState({ ...started, files, failed: failures.length, reason: storageFailureCode(failures[0]) ?? 'unreadable' }, started);
  } catch {
    // Left as it was at the start: "did not finish".
  }
}

const REASONS: Readonly<Record<string, string>> = {
  disk_full: 'the disk was full',
  read_only: 'the data directory could not be written',
  damaged: 'the index was damaged',
  io: 'the index could not be written',
  unavailable: 'another writer held the library too long',
  unreadable: 'a document file could not be read',
};

/** What every surface tells its reader while the index may be partial; empty when it is whole. Never names server paths. */
export function incompleteIndexNotices(store: RebuildStore): string[] {
  const state = store.rebuildState();
  if (!state) return [];
  if (state.failed === undefined) {
    return [
      `The index may be incomplete: a re-index started at ${state.startedAt} has not finished (it is still running, or it was interrupted); ` +
        'answers come from the documents indexed so far. Run `mcdewey reindex` to complete it.',
    ];
  }
  return [
    `The index is incomplete: the re-index of ${state.startedAt} could not index ${state.failed} of ${state.files} document files ` +
      `(${REASONS[state.reason ?? 'unreadable'] ?? state.reason}); answers come from the other documents only. ` +
      'Fix the cause and run `mcdewey reindex`.',
  ];
}
