import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSoak, soakProblems } from './soak.js';

/**
 * The short form of test/hardening/soak.ts: 50 concurrent connections on GET /api/search and
 * POST /mcp tools/call for about 20 seconds against the real server (in a child process, over the
 * six-document fixture library). No connection errors, no non-2xx answers, no tool errors, and the
 * server's RSS and heap may not grow by more than 50 MB between the 25% and 100% marks. The full
 * 100,000-request soak is `node --import tsx test/hardening/soak.ts`.
 */
const SECONDS = Number(process.env['MCDEWEY_LOAD_SECONDS'] ?? 20);

test(`sustained load: 50 connections for ${SECONDS} s on /api/search and /mcp`, { timeout: 240_000 }, async () => {
  const report = await runSoak(
    // Warmed up as long as the full soak (2,000 requests is about 5 s now that the server answers
    // 400-500 a second): after 300, its worker threads' caches were still filling at the 25 % mark,
    // and RSS rose 100 MB by the 50 % mark, then fell back with a flat heap.
    { load: { seconds: SECONDS }, connections: 50, maxSeconds: SECONDS * 5, warmupRequests: 2_000 },
    (line) => console.log(line),
  );
  const { total, memory, growth } = report;
  console.log(
    `load: ${total.requests} requests in ${total.seconds} s (${total.rps} req/s), p50 ${total.medianP50} ms, worst p99 ${total.worstP99} ms, ` +
      `errors ${total.errors}, non-2xx ${total.non2xx}, tool errors ${total.toolErrors}; ` +
      `RSS ${memory[1]!.rssMB} → ${memory[4]!.rssMB} MB, heap ${memory[1]!.heapUsedMB} → ${memory[4]!.heapUsedMB} MB (growth ${growth.rssMB} / ${growth.heapUsedMB} MB)`,
  );
  assert.ok(total.requests > 200, `the load ran: ${total.requests} requests`);
  assert.deepEqual(soakProblems(report), []);
});
