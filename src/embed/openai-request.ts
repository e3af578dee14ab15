import { z } from 'zod';
import { errorMessageWithCause } from './error-message.js';

const EmbeddingsResponseSchema = z.object({
  data: z.array(z.object({ embedding: z.array(z.number()), index: z.number().int().nonnegative() })),
});

export interface EmbeddingsRequest {
  url: string;
  apiKey?: string;
  body: { model: string; input: string[]; dimensions?: number };
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
}

/** An HTTP answer that is worth asking again: rate limiting or a server-side failure. */
const isRetryableStatus = (status: number): boolean => status === 429 || status >= 500;

/**
 * POSTs one OpenAI-style embeddings request and returns the vectors in input order. Retries 429/5xx answers and
 * dropped connections with exponential backoff (honouring Retry-After). A timeout is not retried: a batch that
 * took longer than the limit once will most likely do so again, and retrying would multiply the wait.
 */
export async function requestEmbeddings(request: EmbeddingsRequest): Promise<number[][]> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await attemptRequest(request);
    if (outcome.kind === 'done') return outcome.vectors;
    if (attempt >= request.maxRetries) {
      if (attempt > 0) outcome.error.message += ` (gave up after ${attempt + 1} attempts)`;
      throw outcome.error;
    }
    await sleep(outcome.retryAfterMs ?? request.retryBaseDelayMs * 2 ** attempt * (1 + Math.random() / 2));
  }
}

type Attempt = { kind: 'done'; vectors: number[][] } | { kind: 'retry'; error: Error; retryAfterMs?: number };

async function attemptRequest(request: EmbeddingsRequest): Promise<Attempt> {
  const { url, apiKey, body, timeoutMs } = request;
  const fail = (detail: string): Error => new Error(`embeddings request to ${url} failed: ${redact(detail, apiKey)}`);

  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    if (isTimeout(error)) throw fail(`timed out after ${timeoutMs} ms`);
    return { kind: 'retry', error: fail(errorMessageWithCause(error)) };
  }

  if (!response.ok) {
    const error = fail(`HTTP ${response.status} ${response.statusText}: ${serverMessage(text)}`.trim());
    if (!isRetryableStatus(response.status)) throw error;
    return { kind: 'retry', error, retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
  }
  return { kind: 'done', vectors: parseVectors(text, body.input.length, fail) };
}

function parseVectors(text: string, expected: number, fail: (detail: string) => Error): number[][] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail(`the response is not JSON: ${excerpt(text)}`);
  }
  const parsed = EmbeddingsResponseSchema.safeParse(json);
  if (!parsed.success) throw fail(`unexpected response shape: ${z.prettifyError(parsed.error)}`);

  const vectors: number[][] = new Array(expected);
  for (const item of parsed.data.data) {
    if (item.index >= expected || vectors[item.index]) throw fail(`the response has an invalid or repeated index ${item.index}`);
    vectors[item.index] = item.embedding;
  }
  if (parsed.data.data.length !== expected) throw fail(`expected ${expected} embeddings, got ${parsed.data.data.length}`);
  return vectors;
}

/** OpenAI-style servers answer `{"error": {"message": ...}}` or `{"error": "..."}`; others send plain text. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = body.error;
    if (typeof error === 'string') return error;
    if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return excerpt(text);
}

/** Servers sometimes echo the rejected key back ("Incorrect API key provided: sk-..."). */
function redact(text: string, apiKey: string | undefined): string {
  return apiKey ? text.replaceAll(apiKey, '[redacted]') : text;
}

function isTimeout(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === 'TimeoutError';
}

function retryAfterMs(header: string | null): number | undefined {
  const seconds = Number(header);
  return header && Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds, 60) * 1000 : undefined;
}

const excerpt = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}...` : text);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
