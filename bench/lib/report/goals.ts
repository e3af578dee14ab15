import type { IngestResults } from '../../ingest-speed.js';
import type { IngestWebResults } from '../../ingest-web.js';
import type { KnownItemResults } from '../../known-item.js';
import type { QaResults } from '../../qa.js';
import type { QualityResults } from '../../quality.js';
import type { ThroughputResults } from '../../throughput.js';
import { fixed, percent } from './markdown.js';
import type { ResultFile } from './results.js';

/** The targets, each judged from the result files present: met, missed (by how much) or not measured. */
export interface Goal {
  goal: string;
  measured: string;
  status: 'met' | 'missed' | 'not measured';
}

export const BM25_PUBLISHED = 0.6789;
/** "Matches published BM25": no more than this below Anserini's flat BM25. */
export const BM25_TOLERANCE = 0.01;

export interface AllResults {
  quality?: ResultFile<QualityResults>;
  knownItem?: ResultFile<KnownItemResults>;
  qa?: ResultFile<QaResults>;
  ingest?: ResultFile<IngestResults>;
  ingestWeb?: ResultFile<IngestWebResults>;
  throughput?: ResultFile<ThroughputResults>;
}

const signed = (n: number, digits = 1) => `${n >= 0 ? '+' : '−'}${fixed(Math.abs(n), digits)}`;
const missing = (goal: string): Goal => ({ goal, measured: '–', status: 'not measured' });

export function evaluateGoals(all: AllResults): Goal[] {
  const goals: Goal[] = [];
  const modes = all.quality?.results.modes;
  const lexical = modes?.find((m) => m.mode === 'lexical');
  const hybrid = modes?.find((m) => m.mode === 'hybrid');
  if (lexical && hybrid) {
    const delta = hybrid.ndcg10 - lexical.ndcg10;
    goals.push({
      goal: 'Hybrid beats lexical-only on SciFact nDCG@10',
      measured: `hybrid ${fixed(hybrid.ndcg10, 4)} vs lexical ${fixed(lexical.ndcg10, 4)} (${signed(delta, 4)})`,
      status: delta > 0 ? 'met' : 'missed',
    });
    const gap = lexical.ndcg10 - BM25_PUBLISHED;
    goals.push({
      goal: `Lexical matches published BM25 (Anserini flat ${BM25_PUBLISHED}, within ${BM25_TOLERANCE})`,
      measured: `${fixed(lexical.ndcg10, 4)} (${signed(gap, 4)})`,
      status: gap >= -BM25_TOLERANCE ? 'met' : 'missed',
    });
  } else {
    goals.push(missing('Hybrid beats lexical-only on SciFact nDCG@10'), missing('Lexical matches published BM25'));
  }

  goals.push(...qualityGoals(all));

  const web = all.ingestWeb?.results;
  if (web) {
    goals.push({
      goal: 'Crawl and ingest the FRR HTML manual served locally at ≥ 20 pages/s (lexical only)',
      measured: `${fixed(web.warmMedianPagesPerSecond)} pages/s with a warm conversion worker (median), ${fixed(web.coldPagesPerSecond)} pages/s for a server's first job`,
      status: web.warmMedianPagesPerSecond >= 20 ? 'met' : 'missed',
    });
    goals.push({
      goal: 'Searches during a long ingestion job within 2× their idle latency',
      measured: `median ${fixed(web.search.duringIngestion.p50)} ms vs ${fixed(web.search.idle.p50)} ms idle (×${fixed(web.search.medianRatio, 2)}; p95 ×${fixed(web.search.p95Ratio, 2)})`,
      status: web.search.medianRatio <= 2 ? 'met' : 'missed',
    });
  } else {
    goals.push(missing('Web ingestion ≥ 20 pages/s and searches during ingestion within 2× idle'));
  }

  const ingest = all.ingest?.results;
  if (ingest) {
    goals.push({
      goal: 'Embedding during ingestion ≥ 80% of raw model throughput',
      measured: `${percent(ingest.ratio.ingest)} (${fixed(ingest.add.ingestChunksPerSecond)} vs ${fixed(ingest.raw.chunksPerSecond)} chunks/s; embedding phase alone ${percent(ingest.ratio.embedPhase)})`,
      status: ingest.ratio.ingest >= 0.8 ? 'met' : 'missed',
    });
  } else {
    goals.push(missing('Embedding during ingestion ≥ 80% of raw model throughput'));
  }

  const load = all.throughput?.results.rows;
  if (load && load.length > 0) {
    const bad = load.reduce((s, r) => s + r.errors + r.non2xx + r.rpcErrors, 0);
    const total = load.reduce((s, r) => s + r.requests, 0);
    goals.push({ goal: 'Zero errors under concurrent load (/api/search and /mcp)', measured: `${bad} errors or non-2xx in ${total.toLocaleString('en-US')} requests`, status: bad === 0 ? 'met' : 'missed' });
  } else {
    goals.push(missing('Zero errors under concurrent load'));
  }
  return goals;
}

/** Issue 10's targets: the vendor-PDF questions by kind, the relevance floor, and hybrid never below lexical. */
function qualityGoals(all: AllResults): Goal[] {
  const goals: Goal[] = [];
  const qa = all.qa?.results.modes.find((m) => m.mode === 'hybrid');
  if (qa) {
    const kind = (name: 'paraphrase' | 'identifier' | 'version') => qa.kinds[name];
    const target = (goal: string, value: number | undefined, min: number) =>
      goals.push(value === undefined ? missing(goal) : { goal, measured: fixed(value, 2), status: value >= min ? 'met' : 'missed' });
    target('Questions, hybrid: paraphrase hit@5 ≥ 0.85', kind('paraphrase')?.strict.hit5, 0.85);
    target('Questions, hybrid: identifier hit@1 ≥ 0.90', kind('identifier')?.strict.hit1, 0.9);
    target('Questions, hybrid: version hit@1 ≥ 0.80', kind('version')?.strict.hit1, 0.8);
    // SciFact's claims all have an answer: a second answerable set the floor was not tuned on.
    const claims = all.quality?.results.floor?.find((f) => f.mode === 'hybrid');
    const claimRate = claims ? claims.nothingRelevant / Math.max(1, claims.queries) : undefined;
    goals.push({
      goal: 'Unanswerable questions recognised ≥ 80 % with ≤ 5 % of answerable ones suppressed',
      measured: `${percent(qa.unanswerable.rate)} recognised; suppressed ${percent(qa.answerable.rate, 1)} of the answerable questions` + (claimRate === undefined ? '' : ` and ${percent(claimRate, 1)} of SciFact's claims (hybrid)`),
      status: qa.unanswerable.rate >= 0.8 && qa.answerable.rate <= 0.05 && (claimRate === undefined || claimRate <= 0.05) ? 'met' : 'missed',
    });
  } else {
    goals.push(missing('Vendor-PDF questions by kind and the relevance floor'));
  }
  const lexicalVsHybrid: string[] = [];
  let worse = false;
  const compare = (set: string, lexical: number | undefined, hybrid: number | undefined) => {
    if (lexical === undefined || hybrid === undefined) return;
    lexicalVsHybrid.push(`${set} ${fixed(hybrid, 3)} vs ${fixed(lexical, 3)}`);
    if (hybrid < lexical) worse = true;
  };
  const sci = all.quality?.results.modes;
  compare('SciFact nDCG@10', sci?.find((m) => m.mode === 'lexical')?.ndcg10, sci?.find((m) => m.mode === 'hybrid')?.ndcg10);
  for (const filter of ['none', 'product+version'] as const) {
    const at = (mode: string) => all.knownItem?.results.scores.find((s) => s.mode === mode && s.filter === filter)?.strict.hit1;
    compare(`known-item hit@1 (${filter === 'none' ? 'no filter' : 'filtered'})`, at('lexical'), at('hybrid'));
  }
  const qaMode = (mode: string) => all.qa?.results.modes.find((m) => m.mode === mode);
  for (const k of ['paraphrase', 'identifier', 'version'] as const) {
    compare(`questions ${k} hit@5`, qaMode('lexical')?.kinds[k]?.strict.hit5, qaMode('hybrid')?.kinds[k]?.strict.hit5);
  }
  goals.push(lexicalVsHybrid.length === 0
    ? missing('Hybrid (the default) never below lexical')
    : { goal: 'Hybrid (the default) never below lexical', measured: lexicalVsHybrid.join('; '), status: worse ? 'missed' : 'met' });
  return goals;
}
