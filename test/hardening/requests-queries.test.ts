import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { RunningServer } from '../../src/server/serve.js';
import { startTestServer } from '../support/server.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { assertNoLeak, callTool, encodeQueryValue, toolOutcome } from './requests-support.js';
import { LIMITS } from '../../src/library/limits.js';

/**
 * Hostile search queries on all three surfaces — the web search page, GET /api/search and the
 * MCP tool search_docs — against the real server: FTS5 and SQL syntax, empty and oversized
 * queries, every Unicode general category, broken UTF-16. Each must be answered with results or
 * a 4xx that says what to change; never a 5xx, a stack trace or a server path.
 */

let fixture: Fixture;
let server: RunningServer;

before(async () => {
  fixture = await buildFixture({ sources: ['pdf/cisco/asav-autoscale-azure/9.19'] });
  server = await startTestServer(fixture);
});

after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

/** FTS5 operators, quoting and SQL: the query is never handed to FTS5 as syntax, so these are words. */
const SYNTAX_QUERIES = [
  '"', '""', '"unterminated phrase', 'azure "function app', 'NEAR(', 'NEAR(azure function, 2)', 'azure NEAR/3 function',
  'AND', 'OR', 'NOT', 'azure AND OR NOT function', 'NOT azure', '*', 'azur*', '^azure', '^', 'title:azure', 'body:azure headings:x',
  '{title body}:azure', '(', ')', '((azure', 'azure)))', '(azure OR', '-azure', '+azure', ':', 'a:b:c', "'", "' OR 1=1 --",
  '"; DROP TABLE chunks; --', "1; SELECT * FROM chunks_fts WHERE chunks_fts MATCH '*'", "azure' UNION SELECT sql FROM sqlite_master --",
  '%', '_', '\\', '\\"', '$1', '{{7*7}}', '${7*7}', '<script>alert(1)</script>', '../../etc/passwd', 'NOT_READY', 'x'.repeat(200),
];

/** Queries that contain a word the fixture holds: operators around it must not stop it matching. */
const MUST_FIND = ['azure "function app', 'NEAR(azure function, 2)', 'azure AND OR NOT function', 'title:azure', '((azure', '^azure', 'azur* azure', "azure' UNION SELECT sql FROM sqlite_master --"];

const BLANK_QUERIES = ['', ' ', '   \t\n ', '\u00a0\u2003\u3000', '\u200b', '\ufeff', '\u2028\u2029'];

const UNICODE_EDGES: Record<string, string> = {
  'lone high surrogate': '\ud800',
  'lone low surrogate after text': 'azure\udfff',
  'reversed surrogate pair': '\udc00\ud800',
  'RTL override and marks': '\u202eazure\u202c \u200f\u200e\u061c',
  'zero-width joiners': '\u200d\u200dazure\u200d',
  'emoji with skin-tone modifiers and ZWJ sequences': '👩🏽‍💻 👍🏿 🏳️‍🌈 👨‍👩‍👧‍👦',
  'NUL inside a word': 'azure\u0000function',
  'only NUL': '\u0000',
  'stacked combining marks': `a${'\u0301'.repeat(300)}`,
  'noncharacters': '\ufffe\uffff\u{10ffff}',
  'private use': '\ue000\uf8ff\u{f0000}',
  'C1 controls and DEL': '\u0080\u009f\u007f',
  'replacement character': '\ufffd',
  'fullwidth letters': 'ａｚｕｒｅ',
  'mixed scripts': 'Azure ážúré Азур 蔚蓝 أزرق',
};

/** Up to `perCategory` code points of each Unicode general category, spread over its range. */
function codePointsByCategory(perCategory: number): Map<string, number[]> {
  const categories = ['Lu', 'Ll', 'Lt', 'Lm', 'Lo', 'Mn', 'Mc', 'Me', 'Nd', 'Nl', 'No', 'Pc', 'Pd', 'Ps', 'Pe', 'Pi', 'Pf', 'Po', 'Sm', 'Sc', 'Sk', 'So', 'Zs', 'Zl', 'Zp', 'Cc', 'Cf', 'Cs', 'Co', 'Cn'];
  const matcher = new RegExp(`^(?:${categories.map((c) => `(?<${c}>\\p{${c}})`).join('|')})$`, 'u');
  const all = new Map<string, number[]>(categories.map((c) => [c, []]));
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    const groups = matcher.exec(String.fromCodePoint(cp))?.groups;
    const category = groups && categories.find((c) => groups[c] !== undefined);
    if (category) all.get(category)!.push(cp);
  }
  return new Map([...all].map(([category, cps]) => {
    const step = Math.max(1, Math.floor(cps.length / perCategory));
    return [category, cps.filter((_, i) => i % step === 0).slice(0, perCategory)];
  }));
}

/** Every hostile query, named for the report. */
function hostileQueries(): [string, string][] {
  const cases: [string, string][] = [];
  for (const q of SYNTAX_QUERIES) cases.push([`syntax ${JSON.stringify(q).slice(0, 40)}`, q]);
  for (const q of BLANK_QUERIES) cases.push([`blank ${JSON.stringify(q)}`, q]);
  for (const [name, q] of Object.entries(UNICODE_EDGES)) cases.push([name, q]);
  for (const [category, cps] of codePointsByCategory(16)) {
    assert.ok(cps.length > 0, `category ${category} has code points`);
    const chars = cps.map((cp) => String.fromCodePoint(cp));
    cases.push([`category ${category}`, chars.join('')]);
    cases.push([`category ${category} between words`, `azure ${chars.join(' ')} function`]);
  }
  return cases;
}

interface Outcome {
  status: number;
  hits?: number;
}

async function viaApi(q: string, extra = ''): Promise<Outcome> {
  const response = await fetch(`${server.url}/api/search?q=${encodeQueryValue(q)}${extra}`);
  const text = await response.text();
  const where = `/api/search q=${JSON.stringify(q).slice(0, 60)}`;
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/, `${where}: JSON`);
  assertNoLeak(text, where);
  const body = JSON.parse(text);
  if (response.status === 200) {
    assert.ok(Array.isArray(body.hits), `${where}: 200 with hits`);
    return { status: 200, hits: body.hits.length };
  }
  assert.equal(response.status, 400, `${where}: ${response.status} ${text.slice(0, 200)}`);
  assert.equal(body.error.code, 'invalid_input');
  assert.match(body.error.message, /"q"|query parameter/, `${where}: the message names the parameter`);
  return { status: 400 };
}

async function viaWeb(q: string, extra = ''): Promise<Outcome> {
  const response = await fetch(`${server.url}/search?q=${encodeQueryValue(q)}${extra}`);
  const html = await response.text();
  const where = `/search q=${JSON.stringify(q).slice(0, 60)}`;
  assert.match(response.headers.get('content-type') ?? '', /^text\/html/, `${where}: HTML`);
  assertNoLeak(html, where);
  assert.ok([200, 400].includes(response.status), `${where}: ${response.status}`);
  assert.match(html, /<h1>[^<]+<\/h1>/, `${where}: a page with a heading`);
  if (response.status === 400) assert.match(html, /role="alert"><p>[^<]{10,}/, `${where}: the error says what to change`);
  return { status: response.status, hits: (html.match(/<li class="hit">/g) ?? []).length };
}

async function viaMcp(q: string, era: 2025 | 2026 = 2026): Promise<Outcome & { isError: boolean; text?: string }> {
  const where = `search_docs query=${JSON.stringify(q).slice(0, 60)}`;
  const answer = await callTool(`${server.url}/mcp`, 'search_docs', { query: q }, { era });
  assertNoLeak(answer.text, where);
  const { isError, text } = toolOutcome(answer, where);
  if (isError) {
    assert.ok(text.length > 20, `${where}: the error result says what to do: ${text}`);
    return { status: 200, isError, text };
  }
  return { status: 200, isError, hits: JSON.parse(text).hits.length };
}

describe('hostile queries on every surface', () => {
  const cases = hostileQueries();

  test(`${cases.length} hostile queries × web, REST and MCP: results or an actionable 4xx`, async () => {
    const tally = { api200: 0, api400: 0, web200: 0, web400: 0, mcpHits: 0, mcpErrors: 0 };
    for (const [name, q] of cases) {
      const api = await viaApi(q);
      const web = await viaWeb(q);
      const mcp = await viaMcp(q);
      tally[api.status === 200 ? 'api200' : 'api400']++;
      tally[web.status === 200 ? 'web200' : 'web400']++;
      tally[mcp.isError ? 'mcpErrors' : 'mcpHits']++;
      // A blank query is the only input the surfaces refuse; the web page shows its empty form instead.
      if (q.trim() === '') {
        assert.equal(api.status, 400, `${name}: a blank query is a 400 on the API`);
        assert.ok(mcp.isError, `${name}: a blank query is an error result on MCP`);
      }
    }
    assert.equal(tally.api200 + tally.api400, cases.length);
    console.log(`hostile queries: ${cases.length} cases; API ${tally.api200}×200 ${tally.api400}×400; web ${tally.web200}×200 ${tally.web400}×400; MCP ${tally.mcpHits} with hits, ${tally.mcpErrors} error results`);
  });

  test('operators around real words are plain words: the words still match', async () => {
    // An operator the library has never seen (NEAR) may leave the best match weak, so the closest
    // hits are asked for: matching, not the relevance floor, is what this checks.
    for (const q of MUST_FIND) {
      const api = await viaApi(q, '&include_weak=true');
      assert.ok((api.hits ?? 0) > 0, `/api/search ${JSON.stringify(q)} finds the word`);
      assert.ok(((await viaWeb(q, '&weak=1')).hits ?? 0) > 0, `/search ${JSON.stringify(q)} finds the word`);
      const mcp = await viaMcp(q, 2025);
      assert.ok((mcp.hits ?? 0) > 0 || /the closest passages/.test(mcp.text ?? ''), `search_docs ${JSON.stringify(q)} finds the word`);
    }
  });
});

describe('oversized queries', () => {
  test('a 100 KB query: 431 with a JSON message on the GET surfaces, an error result on MCP', async () => {
    const q = 'azure '.repeat(17_000);
    for (const path of ['/api/search', '/search']) {
      const response = await fetch(`${server.url}${path}?q=${encodeURIComponent(q)}`);
      const text = await response.text();
      assert.equal(response.status, 431, path);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const body = JSON.parse(text);
      assert.equal(body.error.code, 'headers_too_large');
      assert.match(body.error.hint, /Shorten the URL/);
      assertNoLeak(text, path);
    }
    const mcp = toolOutcome(await callTool(`${server.url}/mcp`, 'search_docs', { query: q }), 'search_docs 100 KB');
    assert.ok(mcp.isError);
    assert.match(mcp.text, /query.*1000/);
  });

  test('long queries within the URL limit: every surface takes up to 1,000 characters and refuses more', async () => {
    const long = `azure ${'function '.repeat(1100)}`.slice(0, 1000);
    assert.equal((await viaApi(long)).status, 200);
    assert.equal((await viaWeb(long)).status, 200);
    assert.equal((await viaApi(`${long}a`)).status, 400);
    assert.equal((await viaWeb(`${long}a`)).status, 400);
    const response = await fetch(`${server.url}/search?q=${'a'.repeat(1001)}`);
    assert.match(await response.text(), /Shorten it to at most 1000/);
    const mcp = toolOutcome(await callTool(`${server.url}/mcp`, 'search_docs', { query: `${long}a` }), 'search_docs 1,001 characters');
    assert.ok(mcp.isError);
  });

  test('words and phrases past those a search reads are named in a notice, not dropped silently', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`);
    const phrases = Array.from({ length: 9 }, (_, i) => `"azure function ${i}"`);
    const response = await fetch(`${server.url}/api/search?q=${encodeQueryValue(`azure ${words.join(' ')} ${phrases.join(' ')}`)}`);
    assert.equal(response.status, 200);
    const notice = ((await response.json()) as { notices: string[] }).notices.find((n) => n.startsWith('The query is longer than a search reads'));
    assert.ok(notice, 'a notice says what was left out');
    assert.match(notice, new RegExp(`first ${LIMITS.queryTerms} distinct words`));
    assert.match(notice, new RegExp(`"${words[words.length - 1]}"`), 'names a word left out');
    assert.match(notice, new RegExp(`only ${LIMITS.queryPhrases} phrases`));
    const ordinary = await fetch(`${server.url}/api/search?q=azure%20function`);
    assert.ok(!((await ordinary.json()) as { notices: string[] }).notices.some((n) => n.startsWith('The query is longer')));
  });
});

describe('property: any query string and parameters give 200 or 400, never more', () => {
  /** FTS5/SQL fragments mixed with arbitrary code points, lone surrogates included. */
  const syntax = fc.constantFrom('"', 'NEAR(', 'NEAR', 'AND', 'OR', 'NOT', '*', '^', ':', '(', ')', '-', '+', 'title:', 'body:', "'", ';', '--', '\\', '%', '\u0000', 'azure', 'function', 'NOT_READY', 'scale-out');
  const anyCodePoint = fc.oneof(fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp)), fc.integer({ min: 0xd800, max: 0xdfff }).map((u) => String.fromCharCode(u)));
  const query = fc.oneof(
    fc.string({ unit: anyCodePoint, maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.array(fc.oneof(syntax, fc.string({ unit: anyCodePoint, maxLength: 6 })), { maxLength: 12 }).map((parts) => parts.join(' ')),
  );
  const RUNS = { seed: 20261124, numRuns: 250, endOnFailure: true };

  test('GET /api/search with arbitrary q, limit, offset and mode', async () => {
    const params = fc.record({
      q: query,
      limit: fc.option(fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom('x', '1.5', '1e2', '')), { nil: undefined }),
      offset: fc.option(fc.oneof(fc.integer({ min: -5, max: 20_000 }), fc.constantFrom('NaN', '0x10')), { nil: undefined }),
      mode: fc.option(fc.constantFrom('hybrid', 'lexical', 'vector', 'sql', ''), { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(params, async ({ q, limit, offset, mode }) => {
        const extra = [limit !== undefined ? `&limit=${encodeURIComponent(String(limit))}` : '', offset !== undefined ? `&offset=${encodeURIComponent(String(offset))}` : '', mode !== undefined ? `&mode=${mode}` : ''].join('');
        const response = await fetch(`${server.url}/api/search?q=${encodeQueryValue(q)}${extra}`);
        const text = await response.text();
        assert.ok(response.status === 200 || response.status === 400, `${response.status}: ${text.slice(0, 200)}`);
        assertNoLeak(text, 'property /api/search');
        const body = JSON.parse(text);
        if (response.status === 200) assert.ok(body.hits.length <= Math.min(100, Number(limit ?? 10)), 'no more hits than the limit');
        else assert.equal(typeof body.error.message, 'string');
      }),
      RUNS,
    );
  });

  test('the web search page with arbitrary q', async () => {
    await fc.assert(fc.asyncProperty(query, async (q) => void (await viaWeb(q))), { ...RUNS, numRuns: 120 });
  });

  test('MCP search_docs with arbitrary query and limit', async () => {
    const args = fc.record({ query, limit: fc.option(fc.integer({ min: -2, max: 30 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(args, async (input) => {
        const answer = await callTool(`${server.url}/mcp`, 'search_docs', input);
        assertNoLeak(answer.text, 'property search_docs');
        toolOutcome(answer, 'property search_docs');
      }),
      { ...RUNS, numRuns: 120 },
    );
  });
});
