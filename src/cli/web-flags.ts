/**
 * The crawler's scope and safety options as command-line flags, named by the web source's own
 * rule (`maxPages` → `--max-pages`) and described by its schema, so the flags, the validation and
 * the error messages that name a flag all agree.
 */
import type { Command } from 'commander';
import { CrawlOptionsSchema, type CrawlOptionsInput, type FetchOptionsInput } from '../ingest/sources/web/index.js';
import { intAtLeast } from './parse.js';

const describe = (key: keyof typeof CrawlOptionsSchema.shape) => CrawlOptionsSchema.shape[key].description ?? key;
const collect = (value: string, previous: string[]) => [...previous, value];
const list = (value: string) => value.split(',').map((v) => v.trim()).filter(Boolean);

function rate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`expected a number ≥ 0, got "${value}"`);
  return n;
}

/** `--allow-private` and `--allow-private-hosts`: what a single URL and a crawl both need. */
export function addFetchFlags(command: Command): Command {
  return command
    .option('--allow-private', describe('allowPrivate'))
    .option('--allow-private-hosts <list>', `${describe('allowPrivateHosts')}, comma-separated`, list);
}

/** The scope and politeness flags of a site crawl. */
export function addCrawlFlags(command: Command): Command {
  return command
    .option('--include <glob>', `${describe('include')} (repeatable)`, collect, [])
    .option('--exclude <glob>', `${describe('exclude')} (repeatable)`, collect, [])
    .option('--path-prefix <path>', describe('pathPrefix'))
    .option('--max-pages <n>', describe('maxPages'), intAtLeast(1))
    .option('--max-depth <n>', describe('maxDepth'), intAtLeast(0))
    .option('--rate <n>', describe('maxRequestsPerSecond'), rate)
    .option('--concurrency <n>', describe('concurrency'), intAtLeast(1))
    .option('--ignore-robots', describe('ignoreRobots'));
}

type Flags = Record<string, unknown>;

export function fetchOptionsFrom(flags: Flags): FetchOptionsInput {
  return {
    ...(flags['allowPrivate'] ? { allowPrivate: true } : {}),
    ...(Array.isArray(flags['allowPrivateHosts']) ? { allowPrivateHosts: flags['allowPrivateHosts'] as string[] } : {}),
  };
}

export function crawlOptionsFrom(flags: Flags): CrawlOptionsInput {
  const include = flags['include'] as string[] | undefined;
  const exclude = flags['exclude'] as string[] | undefined;
  return {
    ...fetchOptionsFrom(flags),
    ...(include?.length ? { include } : {}),
    ...(exclude?.length ? { exclude } : {}),
    ...(typeof flags['pathPrefix'] === 'string' ? { pathPrefix: flags['pathPrefix'] } : {}),
    ...(typeof flags['maxPages'] === 'number' ? { maxPages: flags['maxPages'] } : {}),
    ...(typeof flags['maxDepth'] === 'number' ? { maxDepth: flags['maxDepth'] } : {}),
    ...(typeof flags['rate'] === 'number' ? { maxRequestsPerSecond: flags['rate'] } : {}),
    ...(typeof flags['concurrency'] === 'number' ? { concurrency: flags['concurrency'] } : {}),
    ...(flags['ignoreRobots'] ? { ignoreRobots: true } : {}),
  };
}
