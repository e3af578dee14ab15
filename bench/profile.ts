import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { SEARCH_LIMIT } from './lib/parts/clients.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS } from './lib/fixtures/libraries.js';
import { log } from './lib/run/log.js';
import { openLibrary } from './lib/fixtures/open-library.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { displayPath, REPO_ROOT, WORK_DIR } from './lib/run/paths.js';
import { benchQueries } from './lib/fixtures/query-cache.js';
import { measure, type ResultFile } from './lib/report/results.js';

/**
 * A CPU profile of warm in-process hybrid searches on the largest library asked for (the V8
 * sampling profiler through node:inspector, what --cpu-prof records), summarised by self time and
 * by total time per function. The raw profile goes to bench/work/ for Chrome DevTools.
 */
interface ProfileNode { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

export interface FunctionTime { function: string; ms: number; share: number }

export interface ProfileResults {
  size: string;
  chunks: number;
  queries: number;
  /** Passes over the queries while profiled. */
  rounds?: number;
  msPerQuery: number;
  sampledMs: number;
  /** Time with the function on top of the stack. */
  self: FunctionTime[];
  /** Time with the function anywhere on the stack (project functions only). */
  total: FunctionTime[];
  rawProfile: string;
}

const SAMPLING_INTERVAL_US = 200;
const TOP = 20;
/** Passes over the query set while profiled: one pass of warm searches is well under a second of samples. */
const ROUNDS = 5;

function summarize(profile: CpuProfile): { self: Map<string, number>; total: Map<string, number>; sampledMs: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url } = node.callFrame;
    return `${functionName || '(anonymous)'} ${url ? path.relative(REPO_ROOT, url.replace(/^file:\/\//, '')) : '(native)'}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let sampledMs = 0;
  // The first sample's time runs from Profiler.start, the profiler's own dispatch (~100–200 ms on a
  // loaded machine), not a search: samples before the first and after the last search frame are
  // left out.
  const searching = (id: number) => {
    for (let node: ProfileNode | undefined = byId.get(id); node; node = byId.get(parentOf.get(node.id) ?? -1)) if (node.callFrame.url.includes('/src/')) return true;
    return false;
  };
  let start = 0;
  let end = profile.samples.length;
  while (start < end && !searching(profile.samples[start]!)) start++;
  while (end > start && !searching(profile.samples[end - 1]!)) end--;
  profile.samples.slice(start, end).forEach((id, i) => {
    const ms = (profile.timeDeltas[start + i] ?? 0) / 1000;
    sampledMs += ms;
    const top = byId.get(id)!;
    self.set(label(top), (self.get(label(top)) ?? 0) + ms);
    const onStack = new Set<string>();
    for (let node: ProfileNode | undefined = top; node; node = byId.get(parentOf.get(node.id) ?? -1)) onStack.add(label(node));
    for (const key of onStack) total.set(key, (total.get(key) ?? 0) + ms);
  });
  return { self, total, sampledMs };
}

const ranked = (times: Map<string, number>, sampledMs: number, keep: (fn: string) => boolean = () => true): FunctionTime[] =>
  [...times].filter(([fn]) => keep(fn)).sort((a, b) => b[1] - a[1]).slice(0, TOP)
    .map(([fn, ms]) => ({ function: fn, ms: Math.round(ms), share: Math.round((ms / sampledMs) * 1000) / 1000 }));

export async function runProfile(options: BenchOptions): Promise<ResultFile<ProfileResults>> {
  const size = options.sizes[options.sizes.length - 1]!;
  const conditions = {
    library: `${size}: ${LIBRARY_DESCRIPTIONS[size]}`, embedder: options.embedder, mode: 'hybrid', limit: SEARCH_LIMIT,
    samplingIntervalMicroseconds: SAMPLING_INTERVAL_US, note: 'main thread only: the embedding model runs in a worker thread',
  };
  return measure('profile', commandFor('profile', options, ['sizes', 'embedder', 'queries', 'seed']), conditions, async () => {
    const built = await ensureLibrary(size, options.embedder);
    const queries = await benchQueries(options.embedder, options.queries, options.seed);
    const library = await openLibrary(built.data, options.embedder);
    const session = new Session();
    try {
      for (const q of queries) await library.search({ query: q.text, mode: 'hybrid', limit: SEARCH_LIMIT });
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
      await session.post('Profiler.start');
      const started = performance.now();
      for (let round = 0; round < ROUNDS; round++) for (const q of queries) await library.search({ query: q.text, mode: 'hybrid', limit: SEARCH_LIMIT });
      const wallMs = performance.now() - started;
      const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile };
      const rawProfile = path.join(WORK_DIR, `profile-${size}-hybrid.cpuprofile`);
      fs.mkdirSync(WORK_DIR, { recursive: true });
      fs.writeFileSync(rawProfile, JSON.stringify(profile));
      const { self, total, sampledMs } = summarize(profile);
      const results: ProfileResults = {
        size, chunks: built.chunks, queries: queries.length, rounds: ROUNDS, msPerQuery: Math.round((wallMs / (queries.length * ROUNDS)) * 10) / 10, sampledMs: Math.round(sampledMs),
        self: ranked(self, sampledMs), total: ranked(total, sampledMs, (fn) => / src\//.test(fn)), rawProfile: displayPath(rawProfile),
      };
      log(`profile ${size}: ${results.msPerQuery} ms/query; top self time: ${results.self.slice(0, 5).map((f) => `${f.function} ${(f.share * 100).toFixed(0)}%`).join(', ')}`);
      return results;
    } finally {
      session.disconnect();
      await library.close();
    }
  });
}
