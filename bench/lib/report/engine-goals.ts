import type { ColdStartResults } from '../../cold-start.js';
import type { IngestMarkdownResults } from '../../ingest-markdown.js';
import type { LatencyResults } from '../../latency.js';
import type { MemoryResults } from '../../memory.js';
import type { ThroughputResults } from '../../throughput.js';
import type { LatencySummary } from '../parts/stats.js';
import type { Goal } from './goals.js';
import { fixed } from './markdown.js';
import type { ResultFile } from './results.js';

/**
 * Issue 14's targets (the search engine core), each judged from the result file that measures it.
 * Speed figures that need an embedder come from the runs with USE-lite (`*-100k-use-lite.json`),
 * the rest from the runs without one; a figure no file holds is "not measured", never assumed.
 */
export interface EngineResults {
  /** `--only latency --sizes 10000,100000,1000000 --embedder none`. */
  latency?: ResultFile<LatencyResults>;
  /** `--only latency --sizes 100000 --embedder use-lite`, saved as latency-100k-use-lite.json. */
  latencyUseLite?: ResultFile<LatencyResults>;
  throughput?: ResultFile<ThroughputResults>;
  /** `--only throughput --sizes 100000 --embedder use-lite --connections 16`, saved as throughput-100k-use-lite.json. */
  throughputUseLite?: ResultFile<ThroughputResults>;
  overload?: ResultFile<OverloadResults>;
  ingestMarkdown?: ResultFile<IngestMarkdownResults>;
  coldStart?: ResultFile<ColdStartResults>;
  memory?: ResultFile<MemoryResults>;
}

/** What the goals read of bench/overload.ts's result file. */
export interface OverloadResults {
  size: string;
  rows: {
    endpoint: string; connections: number; acceptedPerSecond: number;
    /** How refused clients retried (at once, or after Retry-After); absent in files from before both were measured. */
    clients?: string; refusedLate?: number;
    latencyMs: { accepted?: LatencySummary; refused?: LatencySummary };
  }[];
}

const ms = (n: number | undefined) => `${fixed(n, n !== undefined && n < 10 ? 2 : 1)} ms`;

function judged(goal: string, measured: string | undefined, met: boolean): Goal {
  return measured === undefined ? { goal, measured: '–', status: 'not measured' } : { goal, measured, status: met ? 'met' : 'missed' };
}

export function engineGoals(all: EngineResults): Goal[] {
  const goals: Goal[] = [];
  const lexicalRun = all.latency?.conditions['embedder'] === 'none' ? all.latency.results : undefined;

  const lexical = lexicalRun?.rows.find((r) => r.size === '100k' && r.surface === 'in-process' && r.mode === 'lexical')?.latencyMs;
  goals.push(judged('Lexical search in process, 100k chunks: p50 ≤ 3 ms, p99 ≤ 15 ms',
    lexical && `p50 ${ms(lexical.p50)}, p99 ${ms(lexical.p99)}`, !!lexical && lexical.p50 <= 3 && lexical.p99 <= 15));

  const ranking = (size: string) => lexicalRun?.breakdown.find((b) => b.size === size)?.parts.steps['lexical']?.p50;
  for (const [size, goal] of [['100k', 0.5], ['1m', 5]] as const) {
    const p50 = ranking(size);
    goals.push(judged(`Lexical ranking alone (BM25F step), ${size === '1m' ? '1M' : size} chunks: p50 ≤ ${goal} ms`, p50 === undefined ? undefined : `p50 ${ms(p50)}`, p50 !== undefined && p50 <= goal));
  }

  const useLite = all.latencyUseLite?.conditions['embedder'] === 'use-lite' ? all.latencyUseLite.results : undefined;
  const embedded = useLite?.embedded?.find((e) => e.size === '100k')?.latencyMs;
  goals.push(judged('Hybrid search, 100k chunks, USE-lite, query embedded: p50 ≤ 16 ms', embedded && `p50 ${ms(embedded.p50)}, p99 ${ms(embedded.p99)}`, !!embedded && embedded.p50 <= 16));
  const cached = useLite?.rows.find((r) => r.size === '100k' && r.surface === 'in-process' && r.mode === 'hybrid')?.latencyMs;
  goals.push(judged('Hybrid search, 100k chunks, USE-lite, cached query vector: p50 ≤ 4 ms', cached && `p50 ${ms(cached.p50)}, p99 ${ms(cached.p99)}`, !!cached && cached.p50 <= 4));

  const overhead = lexicalRun?.overhead.filter((o) => o.size === '100k') ?? [];
  if (overhead.length > 0) {
    const worst = Math.max(...overhead.map((o) => o.pairedMedianMs));
    goals.push({
      goal: 'What REST and /mcp add over in-process, 100k chunks: ≤ 1.5 ms p50 (paired median per query)',
      measured: overhead.map((o) => `${o.surface} +${fixed(o.pairedMedianMs, 2)} ms`).join(', '),
      status: worst <= 1.5 ? 'met' : 'missed',
    });
  } else {
    goals.push(judged('What REST and /mcp add over in-process, 100k chunks: ≤ 1.5 ms p50', undefined, false));
  }

  const at16 = (file: ResultFile<ThroughputResults> | undefined, embedder: string) =>
    file?.conditions['embedder'] === embedder ? file.results.rows.filter((r) => r.size === '100k' && r.connections === 16) : [];
  for (const [label, rows, min] of [['lexical', at16(all.throughput, 'none'), 400], ['hybrid (USE-lite)', at16(all.throughputUseLite, 'use-lite'), 60]] as const) {
    const errors = rows.reduce((n, r) => n + r.errors + r.non2xx + r.rpcErrors + r.timeouts, 0);
    goals.push(judged(`Throughput over HTTP, 16 connections, 100k chunks: ≥ ${min} req/s ${label}, 0 errors`,
      rows.length === 0 ? undefined : `${rows.map((r) => `${r.endpoint} ${fixed(r.requestsPerSecond)} req/s`).join(', ')}; ${errors} errors`,
      rows.length > 0 && errors === 0 && rows.every((r) => r.requestsPerSecond >= min)));
  }

  const overload = all.overload?.results.rows.filter((r) => r.connections === 256) ?? [];
  goals.push(judged('Overload at 256 connections: refusals answered in < 50 ms (p99), accepted requests p99 < 500 ms',
    overload.length === 0 ? undefined : overload.map((r) => `${r.endpoint}${r.clients ? ` (clients retrying ${r.clients === 'at-once' ? 'at once' : 'after Retry-After'})` : ''}: refusals p50/p99 ${fixed(r.latencyMs.refused?.p50)}/${fixed(r.latencyMs.refused?.p99)} ms, accepted p99 ${fixed(r.latencyMs.accepted?.p99)} ms (${fixed(r.acceptedPerSecond)}/s)${r.refusedLate ? `, ${r.refusedLate} refused after waiting past --search-max-wait` : ''}`).join('; '),
    overload.length > 0 && overload.every((r) => (r.latencyMs.refused?.p99 ?? 0) < 50 && (r.latencyMs.accepted?.p99 ?? Infinity) < 500)));

  const ingest = all.ingestMarkdown?.results;
  const whole = ingest?.runs.find((r) => r.files === ingest.files);
  goals.push(judged(`Ingest ${ingest ? ingest.files.toLocaleString('en-US') : '5,183'} small Markdown files, lexical only: ≤ 40 s`, whole && `${fixed(whole.wallSeconds)} s (${fixed(whole.msPerFile, 2)} ms per file)`, !!whole && whole.wallSeconds <= 40));

  const cold = all.coldStart?.results.rows.find((r) => r.size === '100k')?.median.firstSearchMs;
  goals.push(judged('Cold start to first search, 100k chunks: ≤ 1 s (lexical)', cold === undefined ? undefined : `${fixed(cold, 0)} ms (median)`, cold !== undefined && cold <= 1000));

  const rss = (library: string) => all.memory?.results.rows.find((r) => r.library === library)?.rssAfterWarmupMB;
  const at100k = rss('100k');
  goals.push(judged('Memory at 100k chunks: ≤ 600 MB RSS after warm-up (1M measured)',
    at100k === undefined ? undefined : `${fixed(at100k, 0)} MB at 100k${rss('1m') === undefined ? '' : `, ${fixed(rss('1m'), 0)} MB at 1M`}`, at100k !== undefined && at100k <= 600));
  return goals;
}
