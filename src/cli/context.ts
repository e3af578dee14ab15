import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { Library, type OpenMode } from '../service/library.js';

/** Flags every command accepts, straight from the config schema. */
export function configFrom(command: Command): Config {
  const opts = command.optsWithGlobals() as Record<string, unknown>;
  return loadConfig({ data: opts['data'], embedder: opts['embedder'] });
}

export async function withLibrary<T>(command: Command, mode: OpenMode, work: (library: Library) => Promise<T>): Promise<T> {
  const library = await Library.open(configFrom(command), mode);
  try {
    return await work(library);
  } finally {
    await library.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Set when a command finished but some of its work failed (e.g. one file of a batch). */
export function markFailure(): void {
  process.exitCode = 1;
}
