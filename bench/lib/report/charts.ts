import type { LatencyResults } from '../../latency.js';
import type { QualityResults } from '../../quality.js';
import type { ThroughputResults } from '../../throughput.js';
import { thousands } from './markdown.js';
import { barChartSvg } from './svg.js';

/** The report's figures, drawn from the result files. */
const MODE_COLORS = { lexical: '#4e79a7', vector: '#f28e2b', hybrid: '#59a14f' } as const;

export function latencyChart(latency: LatencyResults): string {
  const surfaces = [['in-process', 'in process'], ['http', 'HTTP /api/search'], ['mcp', '/mcp tools/call']] as const;
  const sizes = [...new Set(latency.rows.map((r) => r.size))];
  const chunksOf = (size: string) => thousands(latency.rows.find((r) => r.size === size)?.chunks ?? 0);
  const groups = sizes.flatMap((size) => surfaces.map(([surface, label]) => ({ size, surface, label: `${chunksOf(size)} chunks\n${label}` })));
  const series = (['lexical', 'vector', 'hybrid'] as const).map((mode) => {
    const row = (g: (typeof groups)[number]) => latency.rows.find((r) => r.size === g.size && r.surface === g.surface && r.mode === mode);
    return {
      name: `${mode} p50 (whisker: p99)`,
      color: MODE_COLORS[mode],
      values: groups.map((g) => row(g)?.latencyMs.p50 ?? null),
      whiskers: groups.map((g) => row(g)?.latencyMs.p99 ?? null),
    };
  });
  const all = latency.rows.flatMap((r) => [r.latencyMs.p50, r.latencyMs.p99]);
  return barChartSvg({
    title: 'Warm query latency, sequential requests',
    subtitle: `${latency.queries} fixed queries, limit 10; goals at 100k: hybrid p50 < 20 ms, p99 < 60 ms`,
    yLabel: 'milliseconds',
    groups: groups.map((g) => g.label),
    series,
    references: [{ value: 20, label: 'p50 goal 20 ms' }, { value: 60, label: 'p99 goal 60 ms' }],
    log: Math.max(...all) / Math.max(0.1, Math.min(...all)) > 30,
  });
}

export function qualityChart(quality: QualityResults): string {
  const metrics = [['ndcg10', 'nDCG@10'], ['recall10', 'Recall@10'], ['recall100', 'Recall@100'], ['mrr10', 'MRR@10']] as const;
  const ours = quality.modes.map((m) => ({
    name: `McDewey ${m.mode}`,
    color: MODE_COLORS[m.mode],
    values: metrics.map(([key]) => m[key]),
  }));
  const palette = ['#9c755f', '#bab0ac', '#b07aa1', '#76b7b2'];
  const published = quality.baselines.map((b, i) => ({
    name: b.system,
    color: palette[i % palette.length]!,
    values: metrics.map(([key]) => (key === 'mrr10' ? null : (b[key] ?? null))),
  }));
  return barChartSvg({
    title: 'BEIR SciFact (test): McDewey vs published baselines',
    subtitle: `${quality.queries} queries, ${quality.documents} abstracts; published rows from SOURCES.md`,
    yLabel: 'score',
    groups: metrics.map(([, label]) => label),
    series: [...ours, ...published],
    decimals: 2,
  });
}

export function throughputChart(throughput: ThroughputResults): string {
  const rows = throughput.rows;
  const keys = [...new Set(rows.map((r) => `${r.size}|${r.endpoint}`))];
  const levels = [...new Set(rows.map((r) => r.connections))].sort((a, b) => a - b);
  const colors = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f'];
  return barChartSvg({
    title: 'Throughput under concurrency (autocannon, hybrid search)',
    subtitle: 'requests per second by concurrent connections',
    yLabel: 'requests / second',
    groups: keys.map((k) => {
      const [size, endpoint] = k.split('|');
      return `${thousands(rows.find((r) => r.size === size)?.chunks ?? 0)} chunks\n${endpoint === 'api-search' ? 'GET /api/search' : '/mcp tools/call'}`;
    }),
    series: levels.map((c, i) => ({
      name: `${c} connection${c === 1 ? '' : 's'}`,
      color: colors[i % colors.length]!,
      values: keys.map((k) => rows.find((r) => `${r.size}|${r.endpoint}` === k && r.connections === c)?.requestsPerSecond ?? null),
    })),
  });
}
