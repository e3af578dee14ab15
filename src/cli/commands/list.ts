import type { Command } from 'commander';
import { printJson, withLibrary } from '../context.js';
import { renderTree } from '../render.js';
import { presentTree } from '../../present/library-json.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .description('Show the library: vendors, products, versions and documents with page and chunk counts')
    .option('--json', 'print the tree as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withLibrary(command, 'read', async (library) => {
        const tree = library.tree();
        if (options.json) printJson(presentTree(tree));
        else process.stdout.write(`${renderTree(tree)}\n`);
      });
    });
}
