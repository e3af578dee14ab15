/**
 * Sustained load on the real server: GET /api/search and POST /mcp tools/call (both protocol
 * eras) from 50 concurrent connections, with the server's memory sampled between phases.
 *
 *   node --import tsx test/hardening/soak.ts                 # 100,000 requests (the full soak)
 *   node --import tsx test/hardening/soak.ts --requests 20000 --connections 50 --max-seconds 600
 *
 * The fixture library (six real PDFs) is built first; the server then runs on it in a child
 * process (this file with --serve), so that its memory is measured apart from the load generator
 * and from PDF conversion; it reports process.memoryUsage() after a forced GC over IPC. Loopback
 * only; every phase is bounded by a request count (or a duration) and a time limit and stops by
 * itself. test/hardening/load.test.ts runs a short version of the same; this script prints the
 * figures as JSON and exits non-zero when a check fails.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { buildFixture } from '../support/library-fixture.js';

export interface SoakOptions {
  /**
   * After warm-up, four equal phases (memory is sampled after each), bounded either by requests
   * (the soak) or by time (the test suite).
   */
  load: { requests: number } | { seconds: number };
  connections: number;
  /** Each phase also stops at its share of this limit, so the run ends even on a slow machine. */
  maxSeconds: number;
  warmupRequests: number;
}

export interface MemorySample {
  /** Requests completed when sampled. */
  after: number;
  rssMB: number;
  heapUsedMB: number;
}

export interface PhaseFigures {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** MCP answers that were tool errors although every soak query has hits. */
  toolErrors: number;
}

export interface SoakReport {
  options: SoakOptions;
  library: { documents: number; chunks: number };
  phases: PhaseFigures[];
  total: { requests: number; seconds: number; rps: number; errors: number; non2xx: number; toolErrors: number; worstP99: number; medianP50: number };
  memory: MemorySample[];
  /** Growth between the 25% and the 100% marks. */
  growth: { rssMB: number; heapUsedMB: number };
}

export const DEFAULT_OPTIONS: SoakOptions = { load: { requests: 100_000 }, connections: 50, maxSeconds: 3600, warmupRequests: 2_000 };

/** Queries the fixture library answers (each has hits), with and without filters. */
const QUERIES = [
  'scale out alarm threshold', 'azure function app', 'asaAdminUserPassword', 'lambda timeout', 'health check grace period',
  'autoscale group', '"load balancer" target group', 'vm-series bootstrap', 'configure the scaling policy', 'ftdv license',
];

function mcpBody(era: 2025 | 2026, name: string, args: Record<string, unknown>, id: number): { headers: Record<string, string>; body: string } {
  const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'soak', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
  const params = era === 2026 ? { name, arguments: args, _meta: meta } : { name, arguments: args };
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  if (era === 2026) Object.assign(headers, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': name });
  return { headers, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }) };
}

/** The request mix each connection cycles through: half REST search, half MCP tool calls. */
function requestMix(): autocannon.Request[] {
  const requests: autocannon.Request[] = [];
  QUERIES.forEach((query, i) => {
    const filter = i % 3 === 0 ? '&vendor=cisco' : i % 3 === 1 ? '&all_versions=true' : '';
    requests.push({ method: 'GET', path: `/api/search?q=${encodeURIComponent(query)}&limit=10${filter}` });
    requests.push({ method: 'POST', path: '/mcp', ...mcpBody(i % 2 === 0 ? 2026 : 2025, 'search_docs', { query, limit: 5 }, i + 1) });
  });
  requests.push({ method: 'POST', path: '/mcp', ...mcpBody(2026, 'list_library', {}, 99) });
  return requests;
}

function runPhase(url: string, bound: { amount: number } | { duration: number }, connections: number, maxSeconds: number): Promise<PhaseFigures> {
  let toolErrors = 0;
  const requests = requestMix().map((request) =>
    request.path === '/mcp' ? { ...request, onResponse: (_status: number, body: string) => void (body.includes('"isError":true') && toolErrors++) } : request,
  );
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const instance = autocannon({ url, connections, ...bound, requests, timeout: 30 }, (error, result) => {
      clearTimeout(timer);
      if (error) return reject(error);
      const done = result['2xx'] + result.non2xx;
      resolve({
        requests: done,
        seconds: result.duration,
        rps: Math.round(done / result.duration),
        p50: result.latency.p50,
        p99: result.latency.p99,
        max: result.latency.max,
        errors: result.errors,
        timeouts: result.timeouts,
        non2xx: result.non2xx,
        toolErrors,
      });
    });
    timer = setTimeout(() => instance.stop(), maxSeconds * 1000);
  });
}

/**
 * The server child (this file with --serve <data dir>): starts the server on a library that
 * already exists, as `mcdewey serve` does, and answers memory requests after a forced GC.
 */
async function serveChild(dataDir: string): Promise<void> {
  const { loadConfig } = await import('../../src/config/config.js');
  const { startServer } = await import('../../src/server/serve.js');
  // No wait limit: 50 connections stay within the queue of 64, so every answer must be a 2xx. With
  // one, a machine busy with other tests slows searches until some would wait longer than it and are
  // refused, as they should be; what is tested here is that nothing else fails and nothing leaks.
  // Admission is tested in test/service/search-workers.test.ts and test/api/search-admission.test.ts.
  const server = await startServer(loadConfig({ data: dataDir, embedder: 'none', host: '127.0.0.1', port: 0, searchMaxWait: 0 }, {}));
  const tree = server.ctx.library.tree();
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'memory') {
      gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      process.send!({ type: 'memory', rss, heapUsed });
    } else if (message.type === 'stop') {
      await server.close();
      process.exit(0);
    }
  });
  // Without the parent there is nothing to serve.
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', url: server.url, documents: tree.documents, chunks: tree.chunks });
}

/** Sends a message to the server child (none when type is empty) and waits for its answer of the given type. */
function ask<T>(child: ChildProcess, type: string, answer: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the soak server did not answer "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { type: string }) => {
      if (message.type !== answer) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    if (type) child.send({ type });
  });
}

export async function runSoak(options: SoakOptions = DEFAULT_OPTIONS, log: (line: string) => void = () => {}): Promise<SoakReport> {
  // The library is built here, so that the server's memory reflects serving, not PDF conversion.
  const fixture = await buildFixture();
  await fixture.library.close();
  const child = fork(fileURLToPath(import.meta.url), ['--serve', fixture.dataDir], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const ready = await ask<{ url: string; documents: number; chunks: number }>(child, '', 'ready', 120_000);
    const memory = async (after: number): Promise<MemorySample> => {
      const m = await ask<{ rss: number; heapUsed: number }>(child, 'memory', 'memory', 30_000);
      return { after, rssMB: round(m.rss / 2 ** 20), heapUsedMB: round(m.heapUsed / 2 ** 20) };
    };
    log(`soak: server ready at ${ready.url} (${ready.documents} documents, ${ready.chunks} chunks)`);
    const phaseBudget = options.maxSeconds / 5;
    await runPhase(ready.url, { amount: options.warmupRequests }, options.connections, phaseBudget);
    const bound = 'requests' in options.load ? { amount: Math.ceil(options.load.requests / 4) } : { duration: options.load.seconds / 4 };
    const samples: MemorySample[] = [await memory(0)];
    const phases: PhaseFigures[] = [];
    let done = 0;
    for (let i = 0; i < 4; i++) {
      const phase = await runPhase(ready.url, bound, options.connections, phaseBudget);
      phases.push(phase);
      done += phase.requests;
      samples.push(await memory(done));
      log(`soak: phase ${i + 1}/4 ${phase.requests} requests in ${phase.seconds} s, ${phase.rps} req/s, p50 ${phase.p50} ms, p99 ${phase.p99} ms, ` +
        `errors ${phase.errors}, non-2xx ${phase.non2xx}, tool errors ${phase.toolErrors}; rss ${samples.at(-1)!.rssMB} MB, heap ${samples.at(-1)!.heapUsedMB} MB`);
    }
    const seconds = phases.reduce((s, p) => s + p.seconds, 0);
    const p50s = phases.map((p) => p.p50).sort((a, b) => a - b);
    return {
      options,
      library: { documents: ready.documents, chunks: ready.chunks },
      phases,
      total: {
        requests: done,
        seconds: round(seconds),
        rps: Math.round(done / seconds),
        errors: phases.reduce((s, p) => s + p.errors, 0),
        non2xx: phases.reduce((s, p) => s + p.non2xx, 0),
        toolErrors: phases.reduce((s, p) => s + p.toolErrors, 0),
        worstP99: Math.max(...phases.map((p) => p.p99)),
        medianP50: (p50s[1]! + p50s[2]!) / 2,
      },
      memory: samples,
      growth: { rssMB: round(samples[4]!.rssMB - samples[1]!.rssMB), heapUsedMB: round(samples[4]!.heapUsedMB - samples[1]!.heapUsedMB) },
    };
  } finally {
    if (child.connected) child.send({ type: 'stop' });
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
    });
    fs.rmSync(fixture.dataDir, { recursive: true, force: true });
  }
}

/** The checks both the script and the test apply. */
export function soakProblems(report: SoakReport, maxGrowthMB = 50): string[] {
  const problems: string[] = [];
  const expected = 'requests' in report.options.load ? report.options.load.requests : 0;
  if (report.total.requests < expected) problems.push(`only ${report.total.requests} of ${expected} requests completed within the time limit`);
  if (report.total.errors > 0) problems.push(`${report.total.errors} connection errors or timeouts`);
  if (report.total.non2xx > 0) problems.push(`${report.total.non2xx} non-2xx answers`);
  if (report.total.toolErrors > 0) problems.push(`${report.total.toolErrors} MCP tool error results`);
  if (report.growth.rssMB > maxGrowthMB) problems.push(`RSS grew by ${report.growth.rssMB} MB between the 25% and 100% marks`);
  if (report.growth.heapUsedMB > maxGrowthMB) problems.push(`the heap grew by ${report.growth.heapUsedMB} MB between the 25% and 100% marks`);
  return problems;
}

const round = (n: number) => Math.round(n * 10) / 10;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const serve = process.argv.indexOf('--serve');
  if (serve >= 0) {
    await serveChild(process.argv[serve + 1]!);
  } else {
    const { values } = parseArgs({ options: { requests: { type: 'string' }, connections: { type: 'string' }, 'max-seconds': { type: 'string' } } });
    const options: SoakOptions = {
      ...DEFAULT_OPTIONS,
      ...(values.requests ? { load: { requests: Number(values.requests) } } : {}),
      ...(values.connections ? { connections: Number(values.connections) } : {}),
      ...(values['max-seconds'] ? { maxSeconds: Number(values['max-seconds']) } : {}),
    };
    const report = await runSoak(options, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const problems = soakProblems(report);
    for (const problem of problems) process.stderr.write(`soak: FAILED: ${problem}\n`);
    process.exitCode = problems.length > 0 ? 1 : 0;
  }
}
