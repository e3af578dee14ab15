import type { Command } from 'commander';
import type { JobView } from '../../service/jobs/job-queue.js';
import { jobsFor } from '../../service/jobs/jobs-for.js';
import { jobJson } from '../../present/job-json.js';
import { markFailure, printJson, withLibrary } from '../context.js';
import { createProgress } from '../progress.js';
import { intAtLeast } from '../parse.js';

function line(job: JobView): string {
  const { items } = job.progress;
  const count = items.total === null ? `${items.done}` : `${items.done}/${items.total}`;
  const what = job.summary ?? (job.error ? `error: ${job.error}` : `${count} item(s)`);
  return `${job.id}  ${job.status.padEnd(9)} ${job.kind.padEnd(10)} ${job.createdAt}  ${what}`;
}

export function registerJobs(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('Ingestion jobs (adds, refreshes, re-indexes) of this library: list, show, cancel, resume')
    .option('--limit <n>', 'how many of the newest jobs to list', intAtLeast(1), 20)
    .option('--json', 'print as JSON')
    .action(async (options: { limit: number; json?: boolean }, cmd: Command) => {
      await withLibrary(cmd, 'read', async (library) => {
        const list = await jobsFor(library).list({ limit: options.limit });
        if (options.json) printJson({ jobs: list.map((job) => jobJson(job)) });
        else process.stdout.write(list.length === 0 ? 'No jobs yet.\n' : `${list.map(line).join('\n')}\n`);
      });
    });

  jobs
    .command('show')
    .description('One job with its progress and what became of each item')
    .argument('<id>', 'job id')
    .option('--json', 'print as JSON')
    .action(async (id: string, _options: unknown, cmd: Command) => {
      // `jobs` has --json too, and takes it when it is given after the id.
      const json = Boolean((cmd.optsWithGlobals() as { json?: boolean }).json);
      await withLibrary(cmd, 'read', async (library) => {
        const queue = jobsFor(library);
        const job = await queue.get(id);
        const items = await queue.items(id);
        if (json) printJson(jobJson(job, items));
        else {
          process.stdout.write(`${line(job)}\n`);
          for (const item of items) process.stdout.write(`  ${item.status.padEnd(10)} ${item.item}${item.message ? `: ${item.message}` : ''}\n`);
        }
      });
    });

  jobs
    .command('cancel')
    .description('Cancel a queued or running job (a running one stops after its current item)')
    .argument('<id>', 'job id')
    .action(async (id: string, _options: unknown, cmd: Command) => {
      await withLibrary(cmd, 'write', async (library) => {
        const job = await jobsFor(library).cancel(id);
        process.stdout.write(job.status === 'cancelled' ? `Cancelled ${id}.\n` : `Asked ${id} to stop; it stops after its current item.\n`);
      });
    });

  jobs
    .command('resume')
    .description('Run queued jobs, and jobs whose process died (a crawl continues where it stopped), here')
    .action(async (_options: unknown, cmd: Command) => {
      await withLibrary(cmd, 'write', async (library) => {
        let ran = 0;
        await jobsFor(library).resumeHere(
          () => createProgress(process.stderr),
          (job) => {
            ran += 1;
            process.stdout.write(`${line(job)}\n`);
            if (job.status === 'failed') markFailure();
          },
        );
        if (ran === 0) process.stdout.write('No job to resume.\n');
      });
    });
}
