import type { Command } from 'commander';
import type { DocumentInfo } from '../../service/library.js';
import { presentRemoved } from '../../present/library-json.js';
import { canAsk, confirm } from '../confirm.js';
import { markFailure, printJson, withLibrary } from '../context.js';
import { terminalLine } from '../terminal-text.js';

interface RemoveOptions { collection?: string; yes?: boolean; dryRun?: boolean; json?: boolean }

export function registerRemove(program: Command): void {
  program
    .command('remove')
    .description('Remove a product, one version of it, or one document (and its files) from the library; lists what goes and asks first')
    .argument('<product>', 'product slug or label')
    .argument('[version]', 'only this version')
    .argument('[document]', 'only this document (slug) within the version')
    .option('--collection <name>', 'only this collection (needed when the document name exists in several collections)')
    .option('-y, --yes', 'remove without asking (needed when stdin is not a terminal)')
    .option('--dry-run', 'only list what would be removed')
    .option('--json', 'print removed (or, with --dry-run, matching) documents as JSON')
    .addHelpText('after', '\nExamples:\n  mcdewey remove finesse 12.5 --dry-run\n  mcdewey remove finesse 12.5 developer-guide --collection developer-guide --yes')
    .action(async (product: string, version: string | undefined, document: string | undefined, options: RemoveOptions, command: Command) => {
      await withLibrary(command, options.dryRun ? 'read' : 'write', async (library) => {
        const target = {
          product,
          ...(version ? { version } : {}),
          ...(options.collection ? { collection: options.collection } : {}),
          ...(document ? { document } : {}),
        };
        const planned = library.removalPlan(target);
        if (options.dryRun) {
          if (options.json) printJson({ would_remove: presentRemoved(planned).removed });
          else process.stdout.write(`Would remove ${listing(planned)}`);
          return;
        }
        if (!options.yes) {
          if (!canAsk()) {
            process.stderr.write(`Would remove ${listing(planned)}`);
            throw new Error(`not removing ${planned.length} document(s) without confirmation: stdin is not a terminal. Pass --yes to remove them, or --dry-run to only list them`);
          }
          process.stderr.write(`This removes ${listing(planned)}`);
          if (!(await confirm(`Remove ${planned.length === 1 ? 'it' : `these ${planned.length} documents`}?`))) {
            process.stderr.write('Nothing removed.\n');
            markFailure();
            return;
          }
        }
        const removed = await library.remove(target);
        if (options.json) printJson(presentRemoved(removed));
        else process.stdout.write(`Removed ${listing(removed)}`);
      });
    });
}

function listing(docs: DocumentInfo[]): string {
  const lines = docs.map((d) => `  ${d.sourcePath}  (${terminalLine(d.title)}, ${d.pageCount} pages)`);
  return `${docs.length} document(s) (file and index entry):\n${lines.join('\n')}\n`;
}
