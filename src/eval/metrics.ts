/**
 * Standard IR metrics over one query's ranked document ids and its graded judgements
 * (BEIR/trec_eval definitions: gain = relevance grade, log2 discount, ideal DCG from the
 * judgements).
 */
export type Qrels = Map<string, number>;

export function ndcgAt(ranked: string[], qrels: Qrels, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => {
    const gain = qrels.get(id) ?? 0;
    if (gain > 0) dcg += gain / Math.log2(i + 2);
  });
  const ideal = [...qrels.values()].filter((g) => g > 0).sort((a, b) => b - a).slice(0, k);
  const idcg = ideal.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

export function recallAt(ranked: string[], qrels: Qrels, k: number): number {
  const relevant = [...qrels].filter(([, g]) => g > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

export function mrrAt(ranked: string[], qrels: Qrels, k: number): number {
  const index = ranked.slice(0, k).findIndex((id) => (qrels.get(id) ?? 0) > 0);
  return index < 0 ? 0 : 1 / (index + 1);
}

export interface MetricSummary {
  ndcg10: number;
  recall10: number;
  recall100: number;
  mrr10: number;
  queries: number;
}

export function summarize(runs: { ranked: string[]; qrels: Qrels }[]): MetricSummary {
  const mean = (f: (r: { ranked: string[]; qrels: Qrels }) => number) =>
    runs.length === 0 ? 0 : runs.reduce((s, r) => s + f(r), 0) / runs.length;
  return {
    ndcg10: mean((r) => ndcgAt(r.ranked, r.qrels, 10)),
    recall10: mean((r) => recallAt(r.ranked, r.qrels, 10)),
    recall100: mean((r) => recallAt(r.ranked, r.qrels, 100)),
    mrr10: mean((r) => mrrAt(r.ranked, r.qrels, 10)),
    queries: runs.length,
  };
}
