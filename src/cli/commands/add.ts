import type { Command } from 'commander';
import { createProgress } from '../progress.js';
import { markFailure, printJson, withLibrary } from '../context.js';
import { addResultJson } from '../../present/library-json.js';

export function registerAdd(program: Command): void {
  program
    .command('add')
    .description('Add files or folders (PDF, HTML, Markdown, text) to the library')
    .argument('<paths...>', 'files or folders; folders laid out as <vendor>/<product>/<version>/<file> are labelled from the layout')
    .option('--vendor <name>', 'vendor label, e.g. "Cisco"')
    .option('--product <name>', 'product label, e.g. "finesse"')
    .option('--version <version>', 'version label as the vendor writes it, e.g. "12.5(1)", "v12.5", "12.6 SU2"')
    .option('--collection <name>', 'collection (a book or doc set) within the version')
    .option('--title <title>', 'document title (single file only)')
    .option('--json', 'print results as JSON')
    .addHelpText('after', '\nExamples:\n  mcdewey add ../shared/corpus/pdf\n  mcdewey add guide.pdf --vendor Cisco --product finesse --version "12.5(1)"')
    .action(async (paths: string[], options: Record<string, string | boolean | undefined>, command: Command) => {
      await withLibrary(command, 'write', async (library) => {
        const flags = Object.fromEntries(
          (['vendor', 'product', 'version', 'collection', 'title'] as const).flatMap((k) =>
            typeof options[k] === 'string' ? [[k, options[k]]] : [],
          ),
        );
        const sources = library.plan(paths, flags);
        const results = await library.add(sources, createProgress(process.stderr, Boolean(options['json'])));
        const count = (status: string) => results.filter((r) => r.status === status).length;
        const summary = { added: count('added'), updated: count('updated'), unchanged: count('unchanged'), failed: count('failed') };
        if (options['json']) printJson({ summary, results: results.map(addResultJson) });
        else {
          const changed = summary.added + summary.updated;
          process.stdout.write(
            changed === 0 && summary.failed === 0
              ? `Nothing changed: all ${summary.unchanged} document(s) are already in the library and unchanged.\n`
              : `${summary.added} added, ${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed} failed.\n`,
          );
        }
        if (summary.failed > 0) markFailure();
      });
    });
}
