import type { Command } from 'commander';
import { markFailure, printJson, withLibrary } from '../context.js';
import { reindexResultJson } from '../../present/library-json.js';
import type { ReindexResult } from '../../service/library.js';
import { runJobs } from '../run-jobs.js';

export function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description('Rebuild the search index from the Markdown files in the data directory (also switches embedders)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample: mcdewey reindex --embedder none   # rebuild as a lexical-only index')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withLibrary(command, 'reindex', async (library) => {
        const { jobs } = await runJobs(library, [{ kind: 'reindex' }], Boolean(options.json));
        const job = jobs[0]!;
        if (!job.details) throw new Error(job.error ?? `the re-index ended ${job.status}`);
        const result = job.details as unknown as ReindexResult;
        if (options.json) printJson(reindexResultJson(result));
        else {
          if (result.damagedIndexMovedTo) process.stdout.write(`The index was damaged: moved it to ${result.damagedIndexMovedTo} and rebuilt it from the Markdown files.\n`);
          process.stdout.write(`Re-indexed ${result.reindexed} document(s); removed ${result.removed} index entr${result.removed === 1 ? 'y' : 'ies'} without a file; ${result.failed.length} failed.\n`);
          for (const f of result.failed) process.stdout.write(`  failed ${f.file}: ${f.error}\n`);
          for (const notice of library.notices()) process.stdout.write(`${notice}\n`);
        }
        if (result.failed.length > 0) markFailure();
      });
    });
}
