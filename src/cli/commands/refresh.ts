import type { Command } from 'commander';
import { markFailure, printJson, withLibrary } from '../context.js';
import { addResultJson } from '../../present/library-json.js';
import { countOutcomes, failedJobs, runJobs } from '../run-jobs.js';
import { addFetchFlags, fetchOptionsFrom } from '../web-flags.js';

export function registerRefresh(program: Command): void {
  const command = program
    .command('refresh')
    .description('Re-read documents from where they came from: re-crawl sites and re-fetch URLs (only what changed), re-read files and folders')
    .argument('[product]', 'only this product')
    .argument('[version]', 'only this version of it')
    .option('--source <path or URL>', 'only the documents of this source: a site\'s start URL, a folder, a file or a URL')
    .option('--json', 'print results as JSON');
  addFetchFlags(command)
    .addHelpText('after', '\nSites keep the options they were crawled with; --allow-private applies to single URLs.\nExamples:\n  mcdewey refresh\n  mcdewey refresh frr latest\n  mcdewey refresh --source https://docs.frrouting.org/en/latest/')
    .action(async (product: string | undefined, version: string | undefined, options: Record<string, unknown>, cmd: Command) => {
      const json = Boolean(options['json']);
      await withLibrary(cmd, 'write', async (library) => {
        const run = await runJobs(library, [{
          kind: 'refresh',
          ...(product ? { product } : {}),
          ...(version ? { version } : {}),
          ...(typeof options['source'] === 'string' ? { source: options['source'] } : {}),
          fetch: fetchOptionsFrom(options),
        }], json);
        const counts = countOutcomes(run.outcomes);
        const job = run.jobs[0];
        if (json) printJson({ summary: counts, results: run.outcomes.map(addResultJson), job: job && { id: job.id, status: job.status, summary: job.summary, ...(job.error ? { error: job.error } : {}) } });
        else if (job?.summary) process.stdout.write(`Refreshed: ${job.summary}.\n`);
        for (const failed of failedJobs(run)) process.stderr.write(`error: ${failed.error}\n`);
        if (counts['failed']! > 0 || failedJobs(run).length > 0) markFailure();
      });
    });
}
