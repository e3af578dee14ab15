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
    .option('--version <version>', 'only this version (default: the latest version of each product)')
    .option('--document <id>', 'only this document (id or slug)')
    .option('--all-versions', 'search every version, folding identical passages together')
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
          process.stdout.write(`No results for "${request.query}". Try fewer or broader words, or drop filters.\n`);
          return;
        }
        process.stdout.write(`${response.hits.map(renderHit).join('\n\n')}\n`);
        if (response.nextOffset !== undefined) process.stdout.write(`\nMore: --offset ${response.nextOffset}\n`);
      });
    });
}
