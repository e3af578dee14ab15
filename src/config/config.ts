/**
 * The one configuration schema. Every setting has a CLI flag and an environment variable whose
 * name is derived from the key (`embedderApiKey` → MCDEWEY_EMBEDDER_API_KEY); flags win over the environment,
 * the environment over defaults. docs/configuration.md is generated from this schema.
 */

import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { LibraryError } from '../library/errors.js';

export function defaultSearchWorkers(): number {
  return os.availableParallelism();
}

export function defaultDataDir(): string {
  const base = process.env['XDG_DATA_HOME'] || path.join(os.homedir(), '.local', 'share');
  return path.join(base, 'mcdewey');
}

/**
 * A token guards every write: one of only spaces, or short enough to guess, is refused at start.
 * Spaces and control characters cannot travel in an `Authorization: Bearer` header intact anyway.
 */
function isUsableToken(token: string): boolean {
  return token.length >= 16 && /^[^\s\p{Cc}]+$/u.test(token);
}

const TOKEN_ADVICE =
  'a token must be at least 16 characters with no spaces or control characters; make a good one with ' +
  '`openssl rand -hex 32` or `node -e "console.log(crypto.randomBytes(32).toString(\'hex\'))"`';

/** The embedder of a new library (an existing one keeps the one it was built with). */
export const DEFAULT_EMBEDDER = 'use-lite';

export const ConfigSchema = z.object({
  data: z.string().min(1).default(defaultDataDir).describe('Data directory holding the Markdown library and the index'),
  embedder: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Embedder: "use-lite" (offline), "none" (lexical only), a model fetched with `mcdewey model pull` (e.g. "bge-small-en-v1.5"), "transformers:<hub id or model dir>", "openai:<model>@<base URL>". ' +
        'Default: the one the library was built with, else "use-lite"',
    ),
  embedderApiKey: z.string().optional().describe('API key for an OpenAI-compatible embeddings endpoint (never logged)'),
  modelMirror: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Base URL of a model hub mirror (same layout as the public hub) that `mcdewey model pull` downloads from'),
  store: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/i, 'must be a postgres:// or postgresql:// URL (leave it unset for the embedded library in --data)')
    .optional()
    .describe(
      'Store of record shared by several serve nodes: a postgres:// URL (then --data is this node\'s local cache). ' +
        'Unset: the embedded library in --data',
    ),
  storePoolSize: z.coerce.number().int().min(2).max(500).default(10).describe('PostgreSQL connections each node may hold (with --store)'),
  host: z.string().min(1).default('127.0.0.1').describe('Address the server binds to'),
  port: z.coerce.number().int().min(0).max(65535).default(8765).describe('Port the server listens on (0 picks a free one)'),
  publicUrl: z.string().url().optional().describe('Public base URL used in links given to agents (default: http://<host>:<port>)'),
  token: z
    .string()
    .refine(isUsableToken, TOKEN_ADVICE)
    .optional()
    .describe('Bearer token required by /mcp and by the write API (at least 16 characters, no spaces)'),
  allowedHosts: z
    .string()
    .optional()
    .describe('Comma-separated Host names accepted on /mcp besides loopback names (for a server behind a real hostname)'),
  allowedOrigins: z
    .string()
    .optional()
    .describe('Comma-separated browser Origins accepted on /mcp and allowed to call /mcp and /api from a page (CORS): `https://app.example.com:8443` for exactly that origin, a bare host name for any scheme and port'),
  searchWorkers: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(defaultSearchWorkers)
    .describe('Worker threads the server runs searches on'),
  searchQueue: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(64)
    .describe('Searches that may wait for a free worker; beyond them the server answers 503 with Retry-After at once (lower it to bound latency under overload)'),
  searchMaxWait: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    // Accepted searches under overload should answer within half a second; the wait is only part
    // of that (the search itself and the main thread's turns come on top): at 256 connections
    // retrying at once, a 500 ms wait gave accepted /mcp searches a p99 of 608–610 ms, 300 ms gave 397.
    .default(300)
    .describe('Milliseconds a search may expect to wait for a free worker and for the main thread of the server (estimated from the pace of recent searches and the lag of its event loop); one that would wait longer is refused at once with 503 and Retry-After, and one that has waited longer when its turn comes is refused then, so accepted searches stay fast under overload (0: only --search-queue bounds waiting)'),
  searchDeadline: z.coerce
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(10_000)
    .describe('Milliseconds a search may take, waiting included, before the server answers 503 (deadline_exceeded)'),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigKey = keyof Config;

/** MCDEWEY_ + the key in UPPER_SNAKE_CASE. */
export function envName(key: ConfigKey): string {
  return `MCDEWEY_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** `embedderApiKey` → `--embedder-api-key`. */
export function flagName(key: ConfigKey): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

export class ConfigError extends LibraryError {
  constructor(message: string) {
    super('invalid_input', message);
    this.name = 'ConfigError';
  }
}

/** Builds the config from flags (already parsed, undefined when absent) and the environment. */
export function loadConfig(flags: Partial<Record<ConfigKey, unknown>>, env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.shape) as ConfigKey[]) {
    const value = flags[key] ?? env[envName(key)];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const key = issue.path[0] as ConfigKey;
      return `${flagName(key)} / ${envName(key)}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
