import type { Command } from 'commander';
import { describeSkipped, type SkippedEntry } from '../../ingest/sources/discover.js';
import { createProgress } from '../progress.js';
import { markFailure, printJson, withLibrary } from '../context.js';
import { addResultJson } from '../../present/library-json.js';
import { terminalLine } from '../terminal-text.js';

/** Skipped entries listed one by one up to this many; the summary line counts them all. */
const SKIPPED_SHOWN = 20;


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
    .option('--follow-links', 'follow symbolic links inside added folders (only to places inside the folder; never in a loop)')
    .option('--json', 'print results as JSON')
    .addHelpText('after', '\nExamples:\n  mcdewey add ../shared/corpus/pdf\n  mcdewey add guide.pdf --vendor Cisco --product finesse --version "12.5(1)"')
    .action(async (paths: string[], options: Record<string, string | boolean | undefined>, command: Command) => {
      await withLibrary(command, 'write', async (library) => {
        const flags = Object.fromEntries(
          (['vendor', 'product', 'version', 'collection', 'title'] as const).flatMap((k) =>
            typeof options[k] === 'string' ? [[k, options[k]]] : [],
          ),
        );
        const { sources, skipped } = library.discover(paths, flags, { followLinks: Boolean(options['followLinks']) });
        if (!options['json']) reportSkipped(skipped);
        const results = await library.add(sources, createProgress(process.stderr, Boolean(options['json'])));
        const count = (status: string) => results.filter((r) => r.status === status).length;
        const summary = { added: count('added'), updated: count('updated'), unchanged: count('unchanged'), failed: count('failed'), skipped: skipped.length };
        if (options['json']) printJson({ summary, results: results.map(addResultJson), skipped });
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

/** Says what was not read and why, on stderr, so that nothing is left out without a word. */
function reportSkipped(skipped: SkippedEntry[]): void {
  if (skipped.length === 0) return;
  for (const entry of skipped.slice(0, SKIPPED_SHOWN)) process.stderr.write(`skipped    ${terminalLine(entry.path)}: ${terminalLine(entry.detail)}\n`);
  if (skipped.length > SKIPPED_SHOWN) process.stderr.write(`skipped    … and ${skipped.length - SKIPPED_SHOWN} more\n`);
  process.stderr.write(`note: skipped ${describeSkipped(skipped).join('; ')}\n`);
}
