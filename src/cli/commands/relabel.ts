import type { Command } from 'commander';
import { markFailure, printJson, withLibrary } from '../context.js';
import { addResultJson } from '../../present/library-json.js';
import { countOutcomes, failedJobs, runJobs } from '../run-jobs.js';

export function registerRelabel(program: Command): void {
  program
    .command('relabel')
    .description('Change the vendor, product or version label of a product or of one of its versions (documents move when a slug changes)')
    .argument('<product>', 'product slug or label')
    .argument('[version]', 'only this version (needed for --new-version)')
    .option('--new-vendor <name>', 'the vendor the product belongs to')
    .option('--new-product <name>', 'the product\'s new label')
    .option('--new-version <version>', 'the version\'s new label')
    .option('--json', 'print results as JSON')
    .addHelpText('after', '\nExample: mcdewey relabel finesse 12.5 --new-version "12.5(1)"')
    .action(async (product: string, version: string | undefined, options: Record<string, string | boolean | undefined>, cmd: Command) => {
      const labels = {
        ...(typeof options['newVendor'] === 'string' ? { vendor: options['newVendor'] } : {}),
        ...(typeof options['newProduct'] === 'string' ? { product: options['newProduct'] } : {}),
        ...(typeof options['newVersion'] === 'string' ? { version: options['newVersion'] } : {}),
      };
      await withLibrary(cmd, 'write', async (library) => {
        const run = await runJobs(library, [{ kind: 'relabel', product, ...(version ? { version } : {}), labels }], Boolean(options['json']));
        const counts = countOutcomes(run.outcomes);
        if (options['json']) printJson({ summary: counts, results: run.outcomes.map(addResultJson) });
        else process.stdout.write(`${counts['relabelled']} document(s) relabelled, ${counts['failed']} failed.\n`);
        for (const failed of failedJobs(run)) process.stderr.write(`error: ${failed.error}\n`);
        if (counts['failed']! > 0 || failedJobs(run).length > 0) markFailure();
      });
    });
}
