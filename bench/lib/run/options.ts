import { parseArgs } from 'node:util';
import type { LibraryName } from '../fixtures/libraries.js';

/** The parts of the suite, in the order a full run executes them. */
export const BENCHMARKS = ['quality', 'fusion', 'known-item', 'qa', 'ingest', 'ingest-web', 'latency', 'profile', 'throughput', 'memory', 'cold-start', 'ingest-scaling'] as const;
export type BenchmarkName = (typeof BENCHMARKS)[number];

export interface BenchOptions {
  only: BenchmarkName[];
  sizes: LibraryName[];
  embedder: string;
  /** Fixed query set size for latency. */
  queries: number;
  /** Seconds per autocannon run. */
  duration: number;
  connections: number[];
  coldRuns: number;
  /** Seed of every sampled query set, so two runs ask the same questions. */
  seed: number;
  /** Question set of the qa part (JSON lines); default: the development set in ../shared/corpus/qa. */
  questions?: string;
}

export const DEFAULTS: BenchOptions = {
  only: [...BENCHMARKS],
  sizes: ['10k', '100k'],
  embedder: 'use-lite',
  queries: 200,
  duration: 20,
  connections: [1, 10, 16, 50],
  coldRuns: 5,
  seed: 42,
};

export const USAGE = `Usage: npm run bench -- [options]

  --only <list>         benchmarks to run, comma-separated (default: all)
                        ${BENCHMARKS.join(', ')}
  --sizes <list>        library sizes for latency, throughput, memory, cold start, ingest-scaling: 10000, 100000, 1000000
                        (default: 10000,100000; profile uses the largest)
  --embedder <spec>     embedder (default use-lite)
  --queries <n>         latency query set size (default ${DEFAULTS.queries})
  --duration <s>        seconds per autocannon run (default ${DEFAULTS.duration})
  --connections <list>  autocannon concurrency levels (default ${DEFAULTS.connections.join(',')})
  --cold-runs <n>       cold starts to take the median of (default ${DEFAULTS.coldRuns})
  --seed <n>            seed for sampled query sets (default ${DEFAULTS.seed})
  --questions <file>    question set for qa (default ../shared/corpus/qa/vendor-pdf-questions-dev.jsonl)
  --report-only         only rewrite bench/results/REPORT.md and the charts from the JSON results
`;

/** The chunk count a size flag names, as the command line spells it. */
const SIZE_CHUNKS: Record<string, string> = { '10k': '10000', '100k': '100000', '1m': '1000000' };

const SIZES: Record<string, LibraryName> = { '10000': '10k', '10k': '10k', '100000': '100k', '100k': '100k', '1000000': '1m', '1m': '1m' };

export class UsageError extends Error {}

const list = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions & { reportOnly: boolean; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' }, sizes: { type: 'string' }, embedder: { type: 'string' }, queries: { type: 'string' },
      duration: { type: 'string' }, connections: { type: 'string' }, 'cold-runs': { type: 'string' }, seed: { type: 'string' }, questions: { type: 'string' },
      'report-only': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const only = values.only === undefined ? DEFAULTS.only : list(values.only).map((name) => {
    if (!(BENCHMARKS as readonly string[]).includes(name)) throw new UsageError(`unknown benchmark "${name}"; choose from ${BENCHMARKS.join(', ')}`);
    return name as BenchmarkName;
  });
  const sizes = values.sizes === undefined ? DEFAULTS.sizes : [...new Set(list(values.sizes).map((size) => {
    const name = SIZES[size.toLowerCase()];
    if (!name) throw new UsageError(`unknown size "${size}"; the libraries are 10000, 100000 and 1000000 chunks`);
    return name;
  }))];
  return {
    only: BENCHMARKS.filter((b) => only.includes(b)),
    sizes,
    embedder: values.embedder ?? DEFAULTS.embedder,
    queries: positiveInt('queries', values.queries, DEFAULTS.queries),
    duration: positiveInt('duration', values.duration, DEFAULTS.duration),
    connections: values.connections === undefined ? DEFAULTS.connections : list(values.connections).map((c) => positiveInt('connections', c, 1)),
    coldRuns: positiveInt('cold-runs', values['cold-runs'], DEFAULTS.coldRuns),
    seed: positiveInt('seed', values.seed, DEFAULTS.seed),
    ...(values.questions === undefined ? {} : { questions: values.questions }),
    reportOnly: values['report-only'] ?? false,
    help: values.help ?? false,
  };
}

/** The command that reproduces one benchmark with these options (defaults left out). */
export function commandFor(benchmark: BenchmarkName, options: BenchOptions, extra: (keyof BenchOptions)[] = []): string {
  const parts = ['npm run bench --', `--only ${benchmark}`];
  const show = (key: keyof BenchOptions, flag: string, value: string, fallback: string) => {
    if (extra.includes(key) && value !== fallback) parts.push(`--${flag} ${value}`);
  };
  show('sizes', 'sizes', options.sizes.map((s) => SIZE_CHUNKS[s]).join(','), '10000,100000');
  show('embedder', 'embedder', options.embedder, DEFAULTS.embedder);
  show('queries', 'queries', String(options.queries), String(DEFAULTS.queries));
  show('duration', 'duration', String(options.duration), String(DEFAULTS.duration));
  show('connections', 'connections', options.connections.join(','), DEFAULTS.connections.join(','));
  show('coldRuns', 'cold-runs', String(options.coldRuns), String(DEFAULTS.coldRuns));
  show('seed', 'seed', String(options.seed), String(DEFAULTS.seed));
  if (extra.includes('questions') && options.questions !== undefined) parts.push(`--questions ${options.questions}`);
  return parts.join(' ');
}
