import type { RunningServer } from '../../src/server/serve.js';
import type { Fixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';

/** The real HTTP server over a fixture library, and a small JSON client for the REST API. */
export const TOKEN = 'api-test-token-0123456789abcdef';

/** Starts the server with a token (writes enabled) unless `token: undefined` is asked for. */
export async function startApiServer(fixture: Fixture, options: { token?: string | undefined } = { token: TOKEN }): Promise<RunningServer> {
  const { token: _ignored, ...config } = fixture.config;
  return startTestServer({ config, library: fixture.library }, options.token === undefined ? {} : { token: options.token });
}

export interface ApiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Fetches an /api path and parses the JSON body; every API answer must be JSON. */
export async function call<T = any>(server: RunningServer, path: string, init: RequestInit = {}): Promise<ApiAnswer<T>> {
  const response = await fetch(`${server.url}${path}`, init);
  const type = response.headers.get('Content-Type') ?? '';
  const text = await response.text();
  if (!type.startsWith('application/json')) {
    throw new Error(`${init.method ?? 'GET'} ${path} answered ${response.status} with ${type || 'no Content-Type'}: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as T };
}

export const authorized = (token = TOKEN): Record<string, string> => ({ Authorization: `Bearer ${token}` });

/** Asserts the error shape every API failure shares. */
export function isErrorBody(body: unknown): body is { error: { code: string; message: string; hint?: string } } {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}
