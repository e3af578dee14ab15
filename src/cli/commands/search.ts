import { Option, type Command } from 'commander';
import { configFrom, printJson, withLibrary } from '../context.js';
import { configuredBaseUrl, publicLinks } from '../../http/links.js';
import { searchPageJson } from '../../present/search-json.js';
import { renderHit } from '../render.js';
import { intAtLeast } from '../parse.js';

export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('Search the library (hybrid lexical + semantic by default)')
    .argument('<query...>', 'what to look for; "quoted phrases" match exactly')
    .option('--vendor <vendor>', 'only this vendor')
    .option('--product <product>', 'only this product')
    .option('--version <version>', 'only this version, "latest" (each product\'s newest) or "all" (default: each product\'s newest version with a relevant passage)')
    .option('--document <id>', 'only this document (id or slug)')
    .option('--all-versions', 'rank every version alike, folding identical passages together')
    .option('--no-infer-scope', 'do not narrow to a product and version named in the query')
    .option('--include-weak', 'show the closest hits even when none is relevant')
    .addOption(new Option('--mode <mode>', 'ranking').choices(['hybrid', 'lexical', 'vector']).default('hybrid'))
    .option('--limit <n>', 'results per page (max 100)', intAtLeast(1), 10)
    .option('--offset <n>', 'skip this many results', intAtLeast(0), 0)
    .option('--json', 'print the response as JSON')
    .action(async (words: string[], options: Record<string, unknown>, command: Command) => {
      await withLibrary(command, 'read', async (library) => {
        const request = {
          query: words.join(' '),
          limit: options['limit'] as number,
          offset: options['offset'] as number,
          mode: options['mode'] as 'hybrid' | 'lexical' | 'vector',
          versions: options['allVersions'] ? ('all' as const) : ('latest' as const),
          inferScope: options['inferScope'] !== false,
          includeWeak: options['includeWeak'] === true,
          ...Object.fromEntries(
            (['vendor', 'product', 'version', 'document'] as const).flatMap((k) => (typeof options[k] === 'string' ? [[k, options[k]]] : [])),
          ),
        };
        const response = await library.search(request);
        if (options['json']) return printJson(searchPageJson(response, publicLinks(configuredBaseUrl(configFrom(command)))));
        // The library's own notices were printed when it was opened.
        const said = new Set(library.notices());
        for (const notice of response.notices) if (!said.has(notice)) process.stderr.write(`note: ${notice}\n`);
        if (response.hits.length === 0) {
          // The notice (on stderr) already says why; stdout says it once more for whoever reads only it.
          process.stdout.write(response.bestMatch === 'none' ? `No results for "${request.query}" in ${response.scope}.\n` : `Nothing relevant found for "${request.query}" in ${response.scope} (--include-weak shows the closest passages).\n`);
          return;
        }
        process.stdout.write(`${response.hits.map(renderHit).join('\n\n')}\n`);
        if (response.nextOffset !== undefined) process.stdout.write(`\nMore: --offset ${response.nextOffset}\n`);
      });
    });
}
