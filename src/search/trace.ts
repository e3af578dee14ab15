/**
 * A hook into the search pipeline: each step reports how long it took and what it handled. The
 * benchmark's step breakdown and the evaluation read these instead of re-running copies of the
 * steps. Steps, in order: parse, filter, lexical, embed, vector, fuse, load, fold, hits. `load`
 * finds the candidates' documents (in the index; the store's rows only when the index lags it);
 * the rows of the passages judged and shown are read within `fold`.
 */
export type SearchStep = 'parse' | 'filter' | 'lexical' | 'embed' | 'vector' | 'fuse' | 'load' | 'fold' | 'hits';

export interface SearchTrace {
  step(name: SearchStep, ms: number, counts?: Readonly<Record<string, number>>): void;
}

/** Runs `work` as one step of the trace (or simply runs it without one). */
export function timed<T>(trace: SearchTrace | undefined, name: SearchStep, work: () => T, counts?: (value: T) => Record<string, number>): T {
  if (!trace) return work();
  const started = performance.now();
  const value = work();
  trace.step(name, performance.now() - started, counts?.(value));
  return value;
}

/**
 * Runs `work`, one part of a step measured in parts (the caller reports their sum), and returns
 * its value with how long it took; 0 without a trace, which is then not read.
 */
export function timedPart<T>(trace: SearchTrace | undefined, work: () => T): [T, number] {
  if (!trace) return [work(), 0];
  const started = performance.now();
  const value = work();
  return [value, performance.now() - started];
}

export async function timedAsync<T>(trace: SearchTrace | undefined, name: SearchStep, work: () => Promise<T>): Promise<T> {
  if (!trace) return work();
  const started = performance.now();
  const value = await work();
  trace.step(name, performance.now() - started);
  return value;
}
