import type { IndexSource } from '../../store/store.js';
import { IndexFollower, type FollowerOptions } from './index-follower.js';
import type { SearchIndexes } from './search-indexes.js';

/**
 * The search indexes followed in this thread, for one-shot and in-process use (the CLI, evaluation,
 * tests): opened on first use, caught up with the change log before each search (one query of the
 * log's position when nothing changed), one merge step at a time, saved when closed. A server
 * follows the log in a worker thread instead (index-thread.ts), so that nothing here blocks requests.
 */
export class LocalIndexes {
  private follower: IndexFollower | undefined;

  constructor(
    private readonly source: IndexSource,
    private readonly options: FollowerOptions = {},
  ) {}

  current(): SearchIndexes {
    if (!this.follower) this.follower = IndexFollower.open(this.source, this.options).follower;
    else this.follower.catchUp();
    this.follower.mergeStep();
    return this.follower.snapshot();
  }

  /** Saves the indexes if they changed since they were loaded, so the next process starts from here. */
  close(): void {
    this.follower?.save();
    this.follower = undefined;
  }
}
