/**
 * An upload to a node over PostgreSQL becomes a job in the shared queue, which any node may run
 * (this one, usually); the request waits for it and answers as an upload to an embedded library
 * would. Had the node running it died, another resumes it and the answer still comes.
 */
import { LibraryError } from '../../library/errors.js';
import type { AddResult } from '../../ingest/pipeline.js';
import type { LabelFlags } from '../../ingest/sources/discover.js';
import type { Library } from '../library.js';
import { NodeJobRunner } from './job-runner.js';

const WAIT_MS = 30 * 60_000;
const POLL_MS = 100;

export async function addThroughJobQueue(library: Library, file: { name: string; bytes: Uint8Array }, labels: LabelFlags): Promise<AddResult> {
  const node = library.scaleOutNode;
  if (!node) throw new Error('addThroughJobQueue needs a library over PostgreSQL');
  const { vendor, product, version } = labels;
  if (!vendor || !product || !version) throw new LibraryError('invalid_input', 'vendor, product and version are required', 'Give all three labels');
  const job = await NodeJobRunner.submit(node.jobs, [file], { ...labels, vendor, product, version });
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const state = await node.jobs.get(job.id);
    if (state && (state.status === 'done' || state.status === 'failed' || state.status === 'cancelled')) {
      const [item] = await node.jobs.items(job.id);
      if (state.status === 'failed' && !item) return { file: file.name, status: 'failed', warnings: [], error: state.error ?? 'the job failed' };
      if (!item) throw new LibraryError('unavailable', `job ${job.id} ended (${state.status}) without adding the file`, 'Upload it again');
      // The document was committed by whichever node ran the job; this node shows it once caught up.
      await node.catchUp();
      return {
        file: file.name,
        status: item.status as AddResult['status'],
        warnings: item.warnings,
        ...(item.docId ? { docId: item.docId } : {}),
        ...(item.docId && item.status !== 'failed' ? { sourcePath: library.document(item.docId).sourcePath } : {}),
        ...(item.pages === undefined ? {} : { pages: item.pages }),
        ...(item.chunks === undefined ? {} : { chunks: item.chunks }),
        ...(item.message ? { error: item.message } : {}),
      };
    }
    if (Date.now() > deadline) {
      throw new LibraryError('unavailable', `the upload was queued as job ${job.id} and has not finished yet`, 'It goes on in the background; look for the document later');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
