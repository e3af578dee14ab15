import type { Command } from 'commander';
import { createProgress } from '../progress.js';
import { markFailure, printJson, withLibrary } from '../context.js';
import { reindexResultJson } from '../../present/library-json.js';

export function registerReindex(program: Command): void {
  program
    .command('reindex')
    .description('Rebuild the search index from the Markdown files in the data directory (also switches embedders)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample: mcdewey reindex --embedder none   # rebuild as a lexical-only index')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withLibrary(command, 'reindex', async (library) => {
        const result = await library.reindex(createProgress(process.stderr, Boolean(options.json)));
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
