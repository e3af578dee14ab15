import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { Library, type OpenMode } from '../service/library.js';
import { MARKER_NAME } from '../library/ownership.js';

/** Flags every command accepts, straight from the config schema. */
export function configFrom(command: Command): Config {
  const opts = command.optsWithGlobals() as Record<string, unknown>;
  return loadConfig({ data: opts['data'], embedder: opts['embedder'], store: opts['store'], storePoolSize: opts['storePoolSize'] });
}

/** Opens the library, saying so on stderr when an old data directory was adopted (marked as McDewey's). */
export async function openLibrary(config: Config, mode: OpenMode): Promise<Library> {
  const library = await Library.open(config, mode);
  const note = claimNote(library);
  if (note) process.stderr.write(`note: ${note}\n`);
  // A re-index is what clears them; every other command says the library is partial first.
  if (mode !== 'reindex') for (const notice of library.notices()) process.stderr.write(`note: ${notice}\n`);
  return library;
}

/** What the start-up said about the data directory, when there is something to say. */
export function claimNote(library: Library): string | undefined {
  if (library.claim.state === 'adopted') {
    return `adopted ${library.dir.root} as a McDewey library (it was made before libraries carried a ${MARKER_NAME} marker; the marker is now written)`;
  }
  if (library.claim.state === 'unmarked') {
    return `${library.dir.root} has no ${MARKER_NAME} marker and cannot be given one (not writable), so McDewey leaves its staging folder alone`;
  }
  return undefined;
}

export async function withLibrary<T>(command: Command, mode: OpenMode, work: (library: Library) => Promise<T>): Promise<T> {
  const library = await openLibrary(configFrom(command), mode);
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
