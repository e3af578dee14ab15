import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { createEmbedder } from '../../embed/factory.js';
import { resolveEmbedderSpec } from '../../embed/resolve-spec.js';
import { dataDirAt } from '../../library/data-dir.js';
import type { SearchMode } from '../../service/library.js';
import { configFrom, printJson } from '../context.js';
import { DEFAULT_EMBEDDER } from '../../config/config.js';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('Measure retrieval quality on a BEIR-format dataset: nDCG@10, Recall@10, Recall@100, MRR@10')
    .requiredOption('--beir <dir>', 'dataset folder with corpus.jsonl, queries.jsonl and qrels/<split>.tsv')
    .option('--split <name>', 'qrels split to evaluate', 'test')
    .option('--modes <list>', 'comma-separated: lexical, vector, hybrid', 'lexical,vector,hybrid')
    .option('--work <dir>', 'where the evaluation index is kept between runs', path.join(os.tmpdir(), 'mcdewey-eval'))
    .option('--json', 'print results as JSON')
    .addHelpText('after', '\nExample: mcdewey eval --beir ../shared/corpus/beir/scifact')
    .action(async (options: { beir: string; split: string; modes: string; work: string; json?: boolean }, command: Command) => {
      const config = configFrom(command);
      const modes = options.modes.split(',').map((m) => m.trim()) as SearchMode[];
      const bad = modes.filter((m) => !['lexical', 'vector', 'hybrid'].includes(m));
      if (bad.length > 0) throw new Error(`unknown mode(s) ${bad.join(', ')}; use lexical, vector, hybrid`);
      // Loaded here, not with the CLI: every other command (a starting server above all) would pay for them.
      const [{ loadBeir }, { evaluate, openEvalIndex }] = await Promise.all([import('../../eval/beir-dataset.js'), import('../../eval/beir-eval.js')]);
      const dataset = await loadBeir(options.beir, options.split);
      const embedder = createEmbedder(
        resolveEmbedderSpec(config.embedder ?? DEFAULT_EMBEDDER, {
          modelsDir: dataDirAt(config.data).modelsDir,
          ...(config.embedderApiKey ? { apiKey: config.embedderApiKey } : {}),
        }),
      );
      const log = (line: string) => options.json || process.stderr.write(`${line}\n`);
      let lastLog = 0;
      const progress = ({ phase, done, total }: { phase: string; done: number; total: number }) => {
        if (Date.now() - lastLog > 2000 || done === total) {
          lastLog = Date.now();
          log(`${phase}: ${done}/${total}`);
        }
      };
      const { store, idBySlug } = await openEvalIndex(dataset, options.work, embedder, progress);
      try {
        const results = await evaluate(dataset, store, idBySlug, embedder, modes, undefined, progress);
        if (options.json) return printJson({ dataset: dataset.name, split: options.split, embedder: embedder?.name ?? 'none', results });
        const f = (n: number) => n.toFixed(4);
        const lines = [
          `${dataset.name} (${options.split}, ${results[0]?.queries ?? 0} queries), embedder ${embedder?.name ?? 'none'}`,
          '| mode | nDCG@10 | Recall@10 | Recall@100 | MRR@10 | ms/query |',
          '|---|---|---|---|---|---|',
          ...results.map((r) => `| ${r.mode} | ${f(r.ndcg10)} | ${f(r.recall10)} | ${f(r.recall100)} | ${f(r.mrr10)} | ${r.msPerQuery.toFixed(1)} |`),
        ];
        const embedding = results.find((r) => r.queryEmbeddingMs !== undefined)?.queryEmbeddingMs;
        lines.push(`ms/query: ranking to depth 300 with the index loaded${embedding === undefined ? '' : ` and the query vector at hand; embedding a query took ${embedding.toFixed(1)} ms on average, once per query before the modes ran`}`);
        if (!embedder) lines.push('(vector and hybrid need an embedder; run without --embedder none)');
        process.stdout.write(`${lines.join('\n')}\n`);
      } finally {
        store.close();
        await embedder?.close();
      }
    });
}
