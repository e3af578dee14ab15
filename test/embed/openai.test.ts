import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, test } from 'node:test';
import { OpenAIEmbedder, type OpenAIEmbedderOptions } from '../../src/embed/openai.js';
import { maxAbsDifference, norm } from './vectors.js';

const API_KEY = 'sk-test-secret-key-123';

interface EmbeddingsBody {
  model: string;
  input: string[];
  dimensions?: number;
}

/** How the fake server answers the next requests; `normal` once the queue is empty. */
type Behaviour = 'normal' | 'ignore-dimensions' | 'malformed-json' | 'wrong-shape' | 'slow' | 503 | 429 | 400;

let behaviours: Behaviour[] = [];
let requests: { authorization?: string; body: EmbeddingsBody }[] = [];
let server: Server;
let baseUrl: string;

/** Deterministic vector derived from the text, so tests can check which text a vector belongs to. */
function fakeVector(text: string, dimensions: number): number[] {
  return Array.from({ length: dimensions }, (_, i) => ((text.charCodeAt(i % Math.max(text.length, 1)) || 7) * (i + 1)) % 13 + 1);
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  if (request.method !== 'POST' || request.url !== '/v1/embeddings') return send(response, 404, { error: 'not found' });
  const body = JSON.parse(raw) as EmbeddingsBody;
  requests.push({ authorization: request.headers.authorization, body });

  if (request.headers.authorization !== undefined && request.headers.authorization !== `Bearer ${API_KEY}`) {
    const key = request.headers.authorization.replace('Bearer ', '');
    return send(response, 401, { error: { message: `Incorrect API key provided: ${key}`, type: 'invalid_request_error' } });
  }
  const behaviour = behaviours.shift() ?? 'normal';
  if (behaviour === 503) return send(response, 503, 'upstream busy', { 'content-type': 'text/plain' });
  if (behaviour === 429) return send(response, 429, { error: { message: 'rate limited' } }, { 'retry-after': '0' });
  if (behaviour === 400) return send(response, 400, { error: 'input too long' });
  if (behaviour === 'malformed-json') return send(response, 200, '{"data": [');
  if (behaviour === 'wrong-shape') return send(response, 200, { data: [{ embedding: 'not a list', index: 0 }] });
  if (behaviour === 'slow') {
    // Never answers in time; stops waiting once the client hangs up so the server can close promptly.
    await new Promise((resolve) => setTimeout(resolve, 3000).unref() && response.once('close', resolve));
    if (response.destroyed) return;
  }

  const dimensions = behaviour === 'ignore-dimensions' ? 8 : (body.dimensions ?? 8);
  // Reversed on purpose: clients must order by `index`, not by position.
  const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, dimensions) })).reverse();
  send(response, 200, { object: 'list', model: body.model, data });
}

before(async () => {
  server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
after(async () => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
});
beforeEach(() => {
  behaviours = [];
  requests = [];
});

const embedder = (options: Partial<OpenAIEmbedderOptions> = {}): OpenAIEmbedder =>
  new OpenAIEmbedder({ baseUrl, model: 'nomic-embed-text', apiKey: API_KEY, retryBaseDelayMs: 5, ...options });

function expected(text: string, dimensions = 8): Float32Array {
  const vector = Float32Array.from(fakeVector(text, dimensions));
  return vector.map((x) => x / norm(vector));
}

test('probes the dimensions at init and sends the model, input and bearer key', async () => {
  const e = embedder({ baseUrl: `${baseUrl}/` });
  await e.init();
  assert.equal(e.name, 'openai:nomic-embed-text');
  assert.equal(e.dimensions, 8);
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.authorization, `Bearer ${API_KEY}`);
  assert.deepEqual(requests[0]!.body, { model: 'nomic-embed-text', input: ['dimension probe'] });
});

test('orders vectors by index and normalises them', async () => {
  const texts = ['alpha', 'beta gamma', 'delta', ''];
  const vectors = await embedder().embedDocuments(texts);
  assert.equal(vectors.length, texts.length);
  texts.forEach((text, i) => assert.ok(maxAbsDifference(vectors[i]!, expected(text || ' ')) < 1e-6, `vector ${i} out of place`));
  assert.deepEqual(requests.at(-1)!.body.input, ['alpha', 'beta gamma', 'delta', ' ']);
});

test('splits documents into batchSize requests', async () => {
  const e = embedder({ batchSize: 3 });
  await e.init();
  requests = [];
  const vectors = await e.embedDocuments(Array.from({ length: 7 }, (_, i) => `text ${i}`));
  assert.equal(vectors.length, 7);
  assert.deepEqual(requests.map((r) => r.body.input.length), [3, 3, 1]);
  assert.ok(maxAbsDifference(vectors[6]!, await e.embedQuery('text 6')) < 1e-6);
});

test('passes dimensions through and rejects a server that ignores them', async () => {
  const e = embedder({ dimensions: 4 });
  await e.init();
  assert.equal(e.dimensions, 4);
  assert.equal(requests[0]!.body.dimensions, 4);
  behaviours = ['ignore-dimensions'];
  await assert.rejects(embedder({ dimensions: 4 }).init(), /returned 8-dimensional vectors for openai:nomic-embed-text, but 4 were requested/);
});

test('sends no authorization header without an API key', async () => {
  await embedder({ apiKey: undefined }).init();
  assert.equal(requests[0]!.authorization, undefined);
});

test('retries a 503 and a 429, then succeeds', async () => {
  behaviours = [503, 429];
  const vector = await embedder().embedQuery('hello');
  assert.equal(vector.length, 8);
  assert.equal(requests.length, 4, 'probe: 503, 429, success; then the query');
});

test('gives up after three retries with the status and the server message', async () => {
  behaviours = [503, 503, 503, 503];
  await assert.rejects(embedder().init(), {
    message: `embeddings request to ${baseUrl}/embeddings failed: HTTP 503 Service Unavailable: upstream busy (gave up after 4 attempts)`,
  });
  assert.equal(requests.length, 4);
});

test('a 401 fails at once, naming the URL and status without revealing the key', async () => {
  await assert.rejects(embedder({ apiKey: 'sk-wrong-key-456' }).init(), (error: Error) => {
    assert.match(error.message, new RegExp(`${baseUrl}/embeddings failed: HTTP 401 Unauthorized: Incorrect API key provided`));
    assert.ok(!error.message.includes('sk-wrong-key-456'), error.message);
    return true;
  });
  assert.equal(requests.length, 1);
});

test('a 400 is not retried', async () => {
  behaviours = [400];
  await assert.rejects(embedder().init(), /HTTP 400 Bad Request: input too long/);
  assert.equal(requests.length, 1);
});

test('malformed JSON and unexpected shapes give clear errors', async () => {
  behaviours = ['malformed-json'];
  await assert.rejects(embedder().init(), /embeddings\b.*failed: the response is not JSON: \{"data": \[/);
  behaviours = ['wrong-shape'];
  await assert.rejects(embedder().init(), /failed: unexpected response shape: .*data\[0\]\.embedding/s);
});

test('times out without retrying', async () => {
  behaviours = ['slow'];
  const started = performance.now();
  await assert.rejects(embedder({ timeoutMs: 150 }).init(), /failed: timed out after 150 ms$/);
  assert.ok(performance.now() - started < 2000);
  assert.equal(requests.length, 1);
});

test('an unreachable server is reported with its URL and reason', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(
    embedder({ baseUrl: `http://127.0.0.1:${port}/v1`, maxRetries: 1 }).init(),
    new RegExp(`embeddings request to http://127.0.0.1:${port}/v1/embeddings failed: fetch failed \\(.*ECONNREFUSED`),
  );
});
