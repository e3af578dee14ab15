/**
 * The hostile soak (issue 9): a real `mcdewey serve` on the 10k lexical library plus one document
 * with a 30 MB page, driven for a fixed time by many concurrent client loops, each picking at
 * random from a weighted mix of normal searches and hostile requests (bench/lib/soak/kinds.ts).
 * It reports whether the server stayed up, the latency of normal searches (p50/p95/p99) and the
 * server's RSS (sampled every second from /proc), and counts every outcome per kind.
 *
 *   node --import tsx bench/soak.ts [--minutes 10] [--connections 50] [--seed 7] [--normal-only]
 *                                   [--search-queue N] [--node-arg=--cpu-prof --node-arg=--cpu-prof-dir=/tmp/prof]
 *
 * --normal-only sends normal searches alone, the control that tells what the hostile requests
 * cost from what the concurrency and the machine cost (bench/results/soak-normal-only.json).
 * --search-queue sets the server's admission queue (searches that may wait for a worker; beyond
 * them it answers 503 busy with Retry-After). A search refused for load (503 busy or
 * deadline_exceeded) is counted apart, and its client waits the Retry-After before its next request.
 * --node-arg passes an option to the served process's node (repeat it for several), e.g. --cpu-prof
 * to see where the server's time goes. The server's event-loop delay is always sampled
 * (bench/lib/soak/loop-delay.mjs) and reported beside the latencies.
 *
 * Writes bench/results/soak.json and prints a Markdown summary; exits 1 when a goal is missed
 * (server down, normal-search p99 ≥ 1 s, peak RSS ≥ 1.5 GB) or an answer was unexpected.
 * Not part of `npm test` nor of `npm run bench`: it takes the machine for the whole run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hugeMarkdown, writeHugeDocument } from '../test/support/huge-document.js';
import { latencyQueries } from './lib/fixtures/query-set.js';
import { openLibrary } from './lib/fixtures/open-library.js';
import { seededRandom } from './lib/fixtures/random.js';
import { loadavg } from './lib/parts/machine.js';
import { rssOf, serveArgs } from './lib/parts/server-process.js';
import { summarizeLatency, type LatencySummary } from './lib/parts/stats.js';
import { log } from './lib/run/log.js';
import { REPO_ROOT, WORK_DIR, displayPath } from './lib/run/paths.js';
import { measure, resultPath } from './lib/report/results.js';
import { KINDS, toolCallBody, type Kind, type Outcome, type SoakTarget } from './lib/soak/kinds.js';

const GOALS = { p99Ms: 1000, rssBytes: 1.5 * 2 ** 30, refusedShare: 0.01 };
const LIBRARY = path.join(WORK_DIR, 'libraries', '10k-none');
const MB = 1024 * 1024;
const HUGE_PAGE_CHARS = 30 * MB;
const QUERY_COUNT = 300;
const HOT_QUERIES = 3;
const LOOP_DELAY_SAMPLER = pathToFileURL(path.join(REPO_ROOT, 'bench', 'lib', 'soak', 'loop-delay.mjs')).href;

interface Options {
  minutes: number;
  connections: number;
  seed: number;
  normalOnly: boolean;
  nodeArgs: string[];
  /** The server's --search-queue, when given (its default otherwise). */
  searchQueue: number | undefined;
}

function parseOptions(): Options {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, connections: { type: 'string' }, seed: { type: 'string' }, 'normal-only': { type: 'boolean' }, 'node-arg': { type: 'string', multiple: true }, 'search-queue': { type: 'string' } } });
  const number = (name: string, raw: string | undefined, fallback: number, min: number, max: number) => {
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new Error(`--${name} ${raw}: expected a number from ${min} to ${max}`);
    }
    return value;
  };
  return {
    minutes: number('minutes', values.minutes, 10, 0.1, 240),
    connections: Math.round(number('connections', values.connections, 50, 1, 1000)),
    seed: Math.round(number('seed', values.seed, 7, 0, 2 ** 31)),
    normalOnly: values['normal-only'] === true,
    nodeArgs: values['node-arg'] ?? [],
    searchQueue: values['search-queue'] === undefined ? undefined : Math.round(number('search-queue', values['search-queue'], 0, 0, 10_000)),
  };
}

interface KindFigures {
  requests: number;
  unexpected: number;
  /** Refused for load (503 busy or deadline_exceeded): not in latencyMs, which is of answered requests. */
  refused: number;
  outcomes: Record<string, number>;
  latencyMs: LatencySummary;
  /** Up to three unexpected answers, for reading. */
  examples: string[];
}

interface Server {
  url: string;
  pid: number;
  alive(): boolean;
  stderrTail(): string;
  stop(): Promise<void>;
}

/** `mcdewey serve` as a user runs it, with a token (so /mcp is guarded as in production). */
async function startServer(data: string, token: string, options: Options, loopDelayFile: string): Promise<Server> {
  const serve = [...serveArgs(data, 'none'), ...(options.searchQueue === undefined ? [] : ['--search-queue', String(options.searchQueue)])];
  const child = spawn(process.execPath, ['--import', LOOP_DELAY_SAMPLER, ...options.nodeArgs, ...serve], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MCDEWEY_TOKEN: token, NO_COLOR: '1', MCDEWEY_SOAK_LOOP_DELAY: loopDelayFile },
  });
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (text: string) => {
    output = (output + text).slice(-20_000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /web UI\s+(http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        child.stderr!.off('data', onData);
        resolve(match[1]!);
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`mcdewey serve exited (${code ?? signal}) before listening:\n${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    alive: () => child.exitCode === null && child.signalCode === null,
    stderrTail: () => output.slice(-2000),
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    }),
  };
}

/** A copy of the cached 10k library with the huge document added, and the queries drawn from it. */
async function prepareLibrary(dir: string, seed: number) {
  if (!fs.existsSync(path.join(LIBRARY, 'bench-manifest.json'))) {
    throw new Error(`${displayPath(LIBRARY)} is missing: build it first with \`npm run bench -- --only latency --sizes 10000 --embedder none\``);
  }
  const data = path.join(dir, 'data');
  // The copy keeps the cached library clean of the huge document and of the server's writes.
  fs.cpSync(LIBRARY, data, { recursive: true, filter: (source) => path.basename(source) !== 'tmp' });
  const huge = await writeHugeDocument(data, 'soak-huge', [{ number: 1, markdown: hugeMarkdown(HUGE_PAGE_CHARS, 40) }], 2000, 'pdf');
  const library = await openLibrary(data, 'none');
  try {
    const queries = (await latencyQueries(library, QUERY_COUNT, seed)).map((q) => q.text).filter((q) => q.length <= 900);
    return { data, huge, queries, documents: library.documents().length };
  } finally {
    await library.close();
  }
}

/** A cursor the server issued for a query with many hits, to tamper with. */
async function issuedCursor(url: string, token: string, query: string): Promise<string> {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'search_docs', authorization: `Bearer ${token}` },
    body: toolCallBody('search_docs', { query, limit: 20 }),
  });
  const body = (await response.json()) as { result?: { structuredContent?: { next_cursor?: string } } };
  const cursor = body.result?.structuredContent?.next_cursor;
  if (!cursor) throw new Error(`search_docs "${query}" gave no next_cursor (HTTP ${response.status}): ${JSON.stringify(body).slice(0, 300)}`);
  return cursor;
}

function pickKind(kinds: Kind[], random: () => number, total: number): Kind {
  let r = random() * total;
  for (const kind of kinds) {
    r -= kind.weight;
    if (r < 0) return kind;
  }
  return kinds.at(-1)!;
}

async function drive(target: SoakTarget, kinds: Kind[], options: Options, endAt: number) {
  const total = kinds.reduce((s, k) => s + k.weight, 0);
  const records = new Map<string, { outcomes: Map<string, number>; ms: number[]; unexpected: number; refused: number; examples: string[] }>(
    kinds.map((k) => [k.name, { outcomes: new Map(), ms: [], unexpected: 0, refused: 0, examples: [] }]),
  );
  const loop = async (i: number) => {
    const random = seededRandom(options.seed * 1000 + i);
    while (performance.now() < endAt) {
      const kind = pickKind(kinds, random, total);
      const started = performance.now();
      const outcome: Outcome = await kind.run(target, random).catch((error: Error) => ({ label: `client error ${error.message.slice(0, 80)}`, expected: false, detail: error.stack?.slice(0, 300) }));
      const record = records.get(kind.name)!;
      if (outcome.refused) record.refused++;
      else record.ms.push(performance.now() - started);
      record.outcomes.set(outcome.label, (record.outcomes.get(outcome.label) ?? 0) + 1);
      if (!outcome.expected) {
        record.unexpected++;
        if (record.examples.length < 3) record.examples.push(`${outcome.label}${outcome.detail ? `: ${outcome.detail}` : ''}`);
      }
      // As a well-behaved client does: wait what the server asked before the next request.
      if (outcome.refused) await new Promise((resolve) => setTimeout(resolve, Math.min(outcome.refused!.retryAfterMs, Math.max(0, endAt - performance.now()))));
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => loop(i)));
  const figures: Record<string, KindFigures> = {};
  for (const [name, record] of records) {
    figures[name] = {
      requests: record.ms.length + record.refused, unexpected: record.unexpected, refused: record.refused,
      outcomes: Object.fromEntries([...record.outcomes].sort((a, b) => b[1] - a[1])),
      latencyMs: summarizeLatency(record.ms), examples: record.examples,
    };
  }
  return figures;
}

/** RSS every second; peak and a sample every 10 s for the result file. */
function sampleRss(pid: number) {
  const started = performance.now();
  let peak = 0;
  let last = 0;
  let count = 0;
  const series: { s: number; mb: number }[] = [];
  const tick = () => {
    const rss = rssOf(pid);
    if (rss === 0) return;
    last = rss;
    peak = Math.max(peak, rss);
    if (count++ % 10 === 0) series.push({ s: Math.round((performance.now() - started) / 1000), mb: Math.round(rss / MB) });
  };
  tick();
  const timer = setInterval(tick, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return { peakMB: Math.round(peak / MB), finalMB: Math.round(last / MB), kernelPeakMB: Math.round(rssOf(pid, 'VmHWM') / MB), samples: count, everyTenSeconds: series };
    },
  };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat; 0 where that is not available. */
function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** The server's event-loop delay histogram as its sampler last wrote it (undefined when it wrote none). */
function readLoopDelay(file: string): Record<string, number> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, number>;
  } catch {
    return undefined;
  }
}

async function health(url: string): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(10_000) });
    return { status: response.status, body: (await response.text()).slice(0, 200) };
  } catch (error) {
    return { error: String(error) };
  }
}

const options = parseOptions();
const command = `node --import tsx bench/soak.ts --minutes ${options.minutes} --connections ${options.connections} --seed ${options.seed}${options.normalOnly ? ' --normal-only' : ''}${options.searchQueue === undefined ? '' : ` --search-queue ${options.searchQueue}`}${options.nodeArgs.map((a) => ` --node-arg=${a}`).join('')}`;
const kinds = options.normalOnly ? KINDS.filter((k) => k.name === 'normal search') : KINDS;
// A run with another admission queue than the server's default is kept beside the default one, not over it.
const benchmark = `${options.normalOnly ? 'soak-normal-only' : 'soak'}${options.searchQueue === undefined ? '' : `-queue-${options.searchQueue}`}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-soak-'));
const conditions = {
  library: '10k lexical library (bench/work/libraries/10k-none, copied) plus one PDF-format document whose one page is 30 MB of Markdown',
  server: `\`mcdewey serve --embedder none${options.searchQueue === undefined ? '' : ` --search-queue ${options.searchQueue}`}\` in its own process, MCDEWEY_TOKEN set, loopback; RSS from /proc/<pid>/status VmRSS every second; event-loop delay from perf_hooks in the server`,
  minutes: options.minutes, connections: options.connections, seed: options.seed,
  mix: Object.fromEntries(kinds.map((k) => [k.name, k.weight])),
  goals: { normalSearchP99Ms: GOALS.p99Ms, peakRssMB: GOALS.rssBytes / MB },
  client: 'the same process drives every loop with fetch(), node:http and raw sockets; each loop sends one request at a time; 30 s client timeout; after a 503 for load a loop waits its Retry-After',
};
let exitCode = 0;
try {
  const file = await measure(benchmark, command, conditions, async () => {
    log(`soak: copying the 10k library and writing a ${HUGE_PAGE_CHARS / MB} MB page`);
    const prepared = await prepareLibrary(dir, options.seed);
    const token = randomBytes(24).toString('hex');
    const loopDelayFile = path.join(dir, 'loop-delay.json');
    const server = await startServer(prepared.data, token, options, loopDelayFile);
    log(`soak: server pid ${server.pid} at ${server.url}, ${prepared.documents} documents, ${prepared.queries.length} queries`);
    try {
      const cursorQuery = 'router';
      const target: SoakTarget = {
        url: server.url, token, queries: prepared.queries, hotQueries: prepared.queries.slice(0, HOT_QUERIES), huge: prepared.huge,
        issuedCursor: await issuedCursor(server.url, token, cursorQuery), cursorQuery,
      };
      const rss = sampleRss(server.pid);
      const loadAtStart = loadavg();
      const cpuAtStart = { server: cpuSecondsOf(server.pid), client: process.cpuUsage() };
      const started = performance.now();
      const progress = setInterval(() => log(`soak: ${Math.round((performance.now() - started) / 1000)} s, rss ${Math.round(rssOf(server.pid) / MB)} MB, load ${loadavg().join(' ')}`), 60_000);
      const figures = await drive(target, kinds, options, started + options.minutes * 60_000);
      clearInterval(progress);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      const memory = rss.stop();
      const clientCpu = process.cpuUsage(cpuAtStart.client);
      // Client and server share the machine: how much of it each used tells what the figures measure.
      const cpuSeconds = { server: Math.round(cpuSecondsOf(server.pid) - cpuAtStart.server), client: Math.round((clientCpu.user + clientCpu.system) / 1e6) };
      const finalHealth = await health(server.url);
      const up = server.alive() && 'status' in finalHealth && finalHealth.status === 200 && finalHealth.body.includes('"ok"');
      // Stopped here so the sampler's exit write (and a --cpu-prof file) is complete before reading.
      await server.stop();
      const eventLoopDelayMs = readLoopDelay(loopDelayFile);
      const normal = figures['normal search']!.latencyMs;
      const refused = { count: figures['normal search']!.refused, share: Math.round((figures['normal search']!.refused / Math.max(1, figures['normal search']!.requests)) * 10_000) / 10_000 };
      const unexpected = Object.values(figures).reduce((s, k) => s + k.unexpected, 0);
      const goals = {
        serverUp: up,
        normalSearchP99UnderOneSecond: normal.p99 < GOALS.p99Ms,
        normalSearchesRefusedUnder1Percent: refused.share < GOALS.refusedShare,
        peakRssUnder1_5GB: memory.peakMB * MB < GOALS.rssBytes,
        noUnexpectedAnswers: unexpected === 0,
      };
      return {
        seconds, loadavgAtStart: loadAtStart, loadavgAtEnd: loadavg(), goals,
        serverUp: up, finalHealth, ...(up ? {} : { serverStderrTail: server.stderrTail() }),
        normalSearchLatencyMs: normal, normalSearchesRefused: refused, eventLoopDelayMs, rss: memory, cpuSeconds,
        requests: Object.values(figures).reduce((s, k) => s + k.requests, 0), unexpected, kinds: figures,
        library: { documents: prepared.documents, hugeDocument: prepared.huge },
      };
    } finally {
      await server.stop();
    }
  });
  const r = file.results;
  exitCode = Object.values(r.goals).every(Boolean) ? 0 : 1;
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  const lines = [
    `## ${options.normalOnly ? 'Soak control (normal searches only)' : 'Hostile soak'}: ${options.connections} connections for ${r.seconds} s`, '',
    `\`${command}\` — load average ${r.loadavgAtStart.join(' / ')} at start, ${r.loadavgAtEnd.join(' / ')} at end; ${file.machine.cpus} × ${file.machine.cpuModel}`, '',
    '| goal | figure | met |', '|---|---|---|',
    `| server up, /api/health answers | ${r.serverUp ? 'up' : 'DOWN'} | ${yes(r.goals.serverUp)} |`,
    `| normal-search p99 < 1 s | p50 ${r.normalSearchLatencyMs.p50} ms, p95 ${r.normalSearchLatencyMs.p95} ms, p99 ${r.normalSearchLatencyMs.p99} ms (${r.normalSearchLatencyMs.samples} searches) | ${yes(r.goals.normalSearchP99UnderOneSecond)} |`,
    `| few normal searches refused for load (503), < 1 % | ${r.normalSearchesRefused.count} of ${r.normalSearchLatencyMs.samples + r.normalSearchesRefused.count} (${(r.normalSearchesRefused.share * 100).toFixed(2)} %) | ${yes(r.goals.normalSearchesRefusedUnder1Percent)} |`,
    `| peak RSS < 1.5 GB | peak ${r.rss.peakMB} MB, final ${r.rss.finalMB} MB (${r.rss.samples} samples; kernel VmHWM ${r.rss.kernelPeakMB} MB) | ${yes(r.goals.peakRssUnder1_5GB)} |`,
    `| every answer as expected | ${r.unexpected} unexpected of ${r.requests} | ${yes(r.goals.noUnexpectedAnswers)} |`, '',
    r.eventLoopDelayMs ? `Server event-loop delay: p50 ${r.eventLoopDelayMs.p50} ms, p99 ${r.eventLoopDelayMs.p99} ms, p99.9 ${r.eventLoopDelayMs.p999} ms, max ${r.eventLoopDelayMs.max} ms.` : 'Server event-loop delay: not recorded.', '',
    `CPU used during the run: server ${r.cpuSeconds.server} s, load generator ${r.cpuSeconds.client} s, of ${Math.round(r.seconds * file.machine.cpus)} core-seconds.`, '',
    'p50 and p99 are of answered requests; those refused for load (503, counted apart) are not in them.', '',
    '| kind | requests | outcomes | p50 ms | p99 ms | refused (503) | unexpected |', '|---|---|---|---|---|---|---|',
    ...Object.entries(r.kinds).map(([name, k]) => `| ${name} | ${k.requests} | ${Object.entries(k.outcomes).map(([o, n]) => `${o}: ${n}`).join(', ')} | ${Math.round(k.latencyMs.p50)} | ${Math.round(k.latencyMs.p99)} | ${k.refused} | ${k.unexpected} |`),
    '', `Written to ${displayPath(resultPath(benchmark))}.`,
  ];
  const examples = Object.entries(r.kinds).flatMap(([name, k]) => k.examples.map((e) => `- ${name}: ${e}`));
  if (examples.length > 0) lines.push('', 'Unexpected answers (first three per kind):', ...examples);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exitCode = exitCode;
