import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LatencyResults } from '../../bench/latency.js';
import type { LatencySummary } from '../../bench/lib/parts/stats.js';
import { engineGoals, type EngineResults } from '../../bench/lib/report/engine-goals.js';
import type { ResultFile } from '../../bench/lib/report/results.js';
import type { ThroughputResults } from '../../bench/throughput.js';

/**
 * The report's table of issue 14's goals judges each goal from the file that measures it, under
 * the conditions the goal names (a run without an embedder is no hybrid figure), and says "not
 * measured" rather than judging from a figure no file holds.
 */
const summary = (p50: number, p99: number): LatencySummary => ({ samples: 200, mean: p50, p50, p95: p99, p99, max: p99 });
const file = <T>(embedder: string, results: T): ResultFile<T> => ({
  benchmark: 'x', command: 'x', startedAt: '2026-12-06T00:00:00Z', seconds: 1, machine: {} as ResultFile['machine'], loadavgAtEnd: [1, 1, 1], conditions: { embedder }, results,
});
const latency = (embedder: string, lexicalP50: number, rankingP50: number, embeddedP50?: number): ResultFile<LatencyResults> => file(embedder, {
  queries: 200, querySources: {}, warmup: 20,
  rows: [
    { size: '100k', chunks: 1, documents: 1, surface: 'in-process', mode: 'lexical', latencyMs: summary(lexicalP50, 7), loadavg: [] },
    { size: '100k', chunks: 1, documents: 1, surface: 'in-process', mode: 'hybrid', latencyMs: summary(3.5, 8), loadavg: [] },
  ],
  overhead: [{ size: '100k', surface: 'http', pairedMedianMs: 1.1 }, { size: '100k', surface: 'mcp', pairedMedianMs: 1.6 }],
  breakdown: [{ size: '100k', parts: { candidates: 100, steps: { lexical: summary(rankingP50, 2) } } }],
  ...(embeddedP50 === undefined ? {} : { embedded: [{ size: '100k', latencyMs: summary(embeddedP50, 40), loadavg: [] }] }),
});
const throughput = (embedder: string, rps: number, errors = 0): ResultFile<ThroughputResults> => file(embedder, {
  rows: [16, 50].map((connections) => ({
    size: '100k' as const, chunks: 1, endpoint: 'api-search' as const, connections, durationSeconds: 20, requests: 1, requestsPerSecond: rps,
    latencyMs: { p50: 1, p90: 1, p99: 1, max: 1, mean: 1 }, errors, timeouts: 0, non2xx: 0, rpcErrors: 0, loadavg: [],
  })),
});
const status = (results: EngineResults, goal: string) => engineGoals(results).find((g) => g.goal.startsWith(goal))?.status;

test('each goal is met or missed by its own figure', () => {
  const results: EngineResults = { latency: latency('none', 2.7, 0.6), latencyUseLite: latency('use-lite', 3, 0.9, 15) };
  assert.equal(status(results, 'Lexical search in process, 100k'), 'met');
  assert.equal(status(results, 'Lexical ranking alone (BM25F step), 100k'), 'missed');
  assert.equal(status(results, 'Hybrid search, 100k chunks, USE-lite, query embedded'), 'met');
  assert.equal(status(results, 'Hybrid search, 100k chunks, USE-lite, cached'), 'met');
  assert.equal(status(results, 'What REST and /mcp add'), 'missed', '/mcp adds 1.6 ms');
  assert.equal(status({ latency: latency('none', 3.2, 0.4) }, 'Lexical search in process, 100k'), 'missed');
  assert.equal(status({ throughput: throughput('none', 450) }, 'Throughput over HTTP, 16 connections, 100k chunks: ≥ 400'), 'met');
  assert.equal(status({ throughput: throughput('none', 450, 1) }, 'Throughput over HTTP, 16 connections, 100k chunks: ≥ 400'), 'missed', 'an error misses it');
  assert.equal(status({ throughputUseLite: throughput('use-lite', 55) }, 'Throughput over HTTP, 16 connections, 100k chunks: ≥ 60'), 'missed');
});

test('a figure measured under other conditions, or not at all, is not measured', () => {
  // A run with an embedder is no lexical figure, and a run without one no hybrid figure.
  assert.equal(status({ latency: latency('use-lite', 2, 0.3) }, 'Lexical search in process, 100k'), 'not measured');
  assert.equal(status({ latencyUseLite: latency('none', 2, 0.3, 10) }, 'Hybrid search, 100k chunks, USE-lite, query embedded'), 'not measured');
  assert.equal(status({ throughput: throughput('use-lite', 999) }, 'Throughput over HTTP, 16 connections, 100k chunks: ≥ 400'), 'not measured');
  for (const goal of engineGoals({})) assert.equal(goal.status, 'not measured', goal.goal);
});
