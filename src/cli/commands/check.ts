import type { Command } from 'commander';
import { markFailure, printJson, withLibrary } from '../context.js';

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Verify that the index is intact and agrees with the Markdown files on disk')
    .option('--json', 'print problems as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withLibrary(command, 'read', async (library) => {
        const problems = await library.check();
        if (options.json) printJson({ ok: problems.length === 0, problems });
        else if (problems.length === 0) process.stdout.write(library.scaleOutNode ? 'OK: PostgreSQL and this node\'s replica agree.\n' : 'OK: the index agrees with the library files.\n');
        else process.stdout.write(`${problems.map((p) => `problem: ${p}`).join('\n')}\nFix: mcdewey reindex\n`);
        if (problems.length > 0) markFailure();
      });
    });
}
