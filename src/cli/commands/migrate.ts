import type { Command } from 'commander';
import { configFrom, printJson } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Copy the whole library to another store: into PostgreSQL to scale out, or into a data directory (a backup)')
    .requiredOption('--to <target>', 'a postgres:// URL, or a data directory (must be empty)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', [
      '',
      'Examples:',
      '  mcdewey --data ~/docs migrate --to postgres://mcdewey@db/mcdewey     # embedded → PostgreSQL',
      '  mcdewey --store postgres://mcdewey@db/mcdewey migrate --to /backup/docs   # PostgreSQL → a data directory',
      'Then verify with `mcdewey --store … check` (or `--data … check`).',
    ].join('\n'))
    .action(async (options: { to: string; json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const from = config.store ?? config.data;
      const showProgress = !options.json && process.stderr.isTTY;
      // Loaded here, not with the CLI: every other command (a starting server above all) would pay for it.
      const { migrateLibrary } = await import('../../service/scale-out/migrate.js');
      const result = await migrateLibrary(from, options.to, (done, total) => {
        if (showProgress) process.stderr.write(`\rcopied ${done}/${total} documents`);
      });
      if (showProgress) process.stderr.write('\n');
      if (options.json) printJson(result);
      else {
        process.stdout.write(
          `Copied ${result.documents} documents (${result.chunks} passages, ${result.vectors} vectors, ${result.originals} originals, ${result.sources} folders and sites with their crawl state) ` +
            `from ${result.from} to ${result.to}; the copy matches its source.\n`,
        );
      }
    });
}
