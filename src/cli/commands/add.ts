import type { Command } from 'commander';
import { isWebAddress } from '../../ingest/sources/web/index.js';
import { describeSkipped, type LabelFlags, type SkippedEntry } from '../../ingest/sources/discover.js';
import { LibraryError } from '../../library/errors.js';
import type { JobRequestInput } from '../../service/jobs/job-request.js';
import { requireLabels } from '../../service/web-ingest.js';
import { markFailure, printJson, withLibrary } from '../context.js';
import { addResultJson } from '../../present/library-json.js';
import { countOutcomes, failedJobs, runJobs } from '../run-jobs.js';
import { addCrawlFlags, addFetchFlags, crawlOptionsFrom, fetchOptionsFrom } from '../web-flags.js';

const LABELS = ['vendor', 'product', 'version', 'collection', 'document', 'title'] as const;
import { terminalLine } from '../terminal-text.js';

/** Skipped entries listed one by one up to this many; the summary line counts them all. */
const SKIPPED_SHOWN = 20;


export function registerAdd(program: Command): void {
  const command = program
    .command('add')
    .description('Add files, folders, URLs (PDF, HTML, Markdown, text) or a whole documentation site (--site) to the library')
    .argument('<sources...>', 'files, folders or http(s) URLs; folders laid out as <vendor>/<product>/<version>/<file> are labelled from the layout')
    .option('--vendor <name>', 'vendor label, e.g. "Cisco"')
    .option('--product <name>', 'product label, e.g. "finesse"')
    .option('--version <version>', 'version label as the vendor writes it, e.g. "12.5(1)", "v12.5", "12.6 SU2"')
    .option('--collection <name>', 'collection (a book or doc set) within the version; a site\'s pages default to one named after it')
    .option('--document <name>', 'document name within its collection (a single file or URL; default: its file name)')
    .option('--title <title>', 'document title (a single file or URL)')
    .option('--replace', 'let this source replace a different one already filed under the same document id')
    .option('--site', 'crawl a documentation site from the URL: its pages become one collection, in the site\'s navigation order')
    .option('--crawl', 'same as --site')
    .option('--follow-links', 'follow symbolic links inside added folders (only to places inside the folder; never in a loop)')
    .option('--json', 'print results as JSON');
  addFetchFlags(command);
  addCrawlFlags(command);
  command
    .addHelpText('after', [
      '',
      'Examples:',
      '  mcdewey add ../shared/corpus/pdf',
      '  mcdewey add guide.pdf --vendor Cisco --product finesse --version "12.5(1)"',
      '  mcdewey add https://example.com/manual.pdf --vendor Acme --product widget --version 2.1',
      '  mcdewey add --site https://docs.frrouting.org/en/latest/ --vendor FRRouting --product frr --version latest --max-pages 500',
    ].join('\n'))
    .action(async (inputs: string[], options: Record<string, unknown>, cmd: Command) => {
      const flags: LabelFlags = Object.fromEntries(LABELS.flatMap((k) => (typeof options[k] === 'string' ? [[k, options[k]]] : [])));
      const json = Boolean(options['json']);
      const replace = Boolean(options['replace']);
      const followLinks = Boolean(options['followLinks']);
      let skipped: SkippedEntry[] = [];
      await withLibrary(cmd, 'write', async (library) => {
        const requests: JobRequestInput[] = [];
        if (options['site'] || options['crawl']) {
          const [url, ...rest] = inputs;
          if (rest.length > 0 || !url || !isWebAddress(url)) {
            throw new LibraryError('invalid_input', '--site takes exactly one http(s) start URL', 'Add files, folders and single URLs without --site');
          }
          requireLabels(flags, url, 'site');
          requests.push({ kind: 'add-site', url, labels: flags, replace, crawl: crawlOptionsFrom(options) });
        } else {
          const paths = inputs.filter((input) => !isWebAddress(input));
          if (paths.length > 0) {
            // Refuses a missing file or an unlabelled layout before anything starts, and says what folders hold that will not be read.
            skipped = library.discover(paths, flags, { followLinks }).skipped;
            if (!json) reportSkipped(skipped);
            requests.push({ kind: 'add-paths', paths, labels: flags, replace, followLinks });
          }
          for (const url of inputs.filter(isWebAddress)) {
            requireLabels(flags, url, 'URL');
            requests.push({ kind: 'add-url', url, labels: flags, replace, fetch: fetchOptionsFrom(options) });
          }
        }
        const run = await runJobs(library, requests, json);
        const counts = countOutcomes(run.outcomes);
        const failures = failedJobs(run);
        if (json) {
          const { relabelled, removed: _removed, ...summary } = counts;
          printJson({
            // The summary keeps its shape for scripts; relabelled appears when there were some.
            summary: { ...(relabelled ? { ...summary, relabelled } : summary), skipped: skipped.length },
            results: run.outcomes.map(addResultJson),
            skipped,
            jobs: run.jobs.map((job) => ({ id: job.id, status: job.status, ...(job.summary ? { summary: job.summary } : {}), ...(job.error ? { error: job.error } : {}) })),
          });
        } else {
          const changed = counts['added']! + counts['updated']! + counts['relabelled']! + counts['removed']!;
          const total = run.outcomes.length;
          if (changed === 0 && counts['failed'] === 0 && failures.length === 0 && total > 0) {
            process.stdout.write(`Nothing changed: all ${counts['unchanged']} document(s) are already in the library and unchanged.\n`);
          } else if (total > 0) {
            process.stdout.write(`${counts['added']} added, ${counts['updated']} updated, ${counts['relabelled'] ? `${counts['relabelled']} relabelled, ` : ''}${counts['unchanged']} unchanged, ${counts['failed']} failed.\n`);
          }
          for (const job of run.jobs) if (job.details?.['crawl']) process.stdout.write(`Site: ${terminalLine(job.summary ?? '')}\n`);
          for (const job of run.jobs.filter((j) => j.status === 'cancelled')) process.stdout.write(`Cancelled job ${job.id}: ${terminalLine(job.summary ?? '')}\n`);
        }
        for (const job of failures) process.stderr.write(`error: ${terminalLine(job.error ?? '')}\n`);
        if (counts['failed']! > 0 || failures.length > 0 || run.jobs.some((job) => job.status === 'cancelled')) markFailure();
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
