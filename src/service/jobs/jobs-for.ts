/**
 * The jobs of a library: its own jobs table when it is embedded, PostgreSQL's shared queue when it
 * is a scale-out node (so that any node runs, shows and cancels them).
 */
import type { Library } from '../library.js';
import { NodeJobQueue } from '../scale-out/node-job-queue.js';
import type { NodeJobRunner } from '../scale-out/job-runner.js';
import { JobQueue, type Jobs } from './job-queue.js';
import type { JobWorker } from './job-worker.js';

export function jobsFor(library: Library, runner?: { worker?: Pick<JobWorker, 'wake' | 'cancel'>; node?: Pick<NodeJobRunner, 'wake'> }): Jobs {
  const node = library.scaleOutNode;
  return node ? new NodeJobQueue(library, node, runner?.node) : new JobQueue(library, runner?.worker);
}
