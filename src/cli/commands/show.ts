import type { Command } from 'commander';
import { configFrom, printJson, withLibrary } from '../context.js';
import { configuredBaseUrl, publicLinks } from '../../http/links.js';
import { presentChunkView } from '../../present/library-json.js';
import { pageText } from '../render.js';
import { intAtLeast } from '../parse.js';
import { terminalBlock, terminalLine as t } from '../terminal-text.js';

export function registerShow(program: Command): void {
  program
    .command('show')
    .description('Show a chunk: its text, page, source and neighbouring chunks')
    .argument('<chunk-id>', 'e.g. finesse::v12.5::developer-guide::developer-guide::43')
    .option('--before <n>', 'neighbouring chunks before', intAtLeast(0), 1)
    .option('--after <n>', 'neighbouring chunks after', intAtLeast(0), 1)
    .option('--json', 'print as JSON')
    .action(async (chunkId: string, options: { before: number; after: number; json?: boolean }, command: Command) => {
      await withLibrary(command, 'read', async (library) => {
        const view = library.chunk(chunkId, { before: options.before, after: options.after });
        if (options.json) return printJson(presentChunkView(publicLinks(configuredBaseUrl(configFrom(command))), view));
        const { chunk, document } = view;
        const out = [
          `${t(document.title)} — ${t(document.vendorLabel)} / ${t(document.productLabel)} / ${t(document.versionLabel)}`,
          `${pageText(chunk.page, chunk.pageLabel)}${chunk.pageEnd !== chunk.page ? `–${chunk.pageEnd}` : ''}`,
          `source    ${document.sourcePath}`,
          `chunk_id  ${chunk.id}`,
          chunk.headingPath.length > 0 ? `section   ${chunk.headingPath.map(t).join(' › ')}` : '',
          '',
        ].filter((l, i) => l !== '' || i === 5);
        for (const c of view.before) out.push(`[before · ${c.id} · page ${c.page}]`, terminalBlock(c.text), '');
        out.push(`[this chunk]`, terminalBlock(chunk.text), '');
        for (const c of view.after) out.push(`[after · ${c.id} · page ${c.page}]`, terminalBlock(c.text), '');
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });
}
