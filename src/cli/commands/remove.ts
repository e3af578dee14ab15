import type { Command } from 'commander';
import { printJson, withLibrary } from '../context.js';
import { presentRemoved } from '../../present/library-json.js';

export function registerRemove(program: Command): void {
  program
    .command('remove')
    .description('Remove a product, one version of it, or one document (and its files) from the library')
    .argument('<product>', 'product slug or label')
    .argument('[version]', 'only this version')
    .argument('[document]', 'only this document (slug) within the version')
    .option('--json', 'print removed documents as JSON')
    .action(async (product: string, version: string | undefined, document: string | undefined, options: { json?: boolean }, command: Command) => {
      await withLibrary(command, 'write', async (library) => {
        const removed = await library.remove({ product, ...(version ? { version } : {}), ...(document ? { document } : {}) });
        if (options.json) printJson(presentRemoved(removed));
        else process.stdout.write(`Removed ${removed.length} document(s):\n${removed.map((d) => `  ${d.sourcePath}`).join('\n')}\n`);
      });
    });
}
