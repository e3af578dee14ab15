import type { EmbedderIdentity } from '../library/model.js';
import { DEFAULT_EMBEDDER } from '../config/config.js';
import { LibraryError } from '../library/errors.js';

/**
 * Which embedder a library uses: the one configured (--embedder / MCDEWEY_EMBEDDER) when one
 * is, else the one recorded in its index, else the default for a new library. So a library
 * re-indexed with `--embedder none` stays lexical without the flag on every later command.
 */
export function chooseEmbedderSpec(configured: string | undefined, recorded: EmbedderIdentity | null | undefined): string {
  if (configured !== undefined) return configured;
  if (recorded === undefined) return DEFAULT_EMBEDDER;
  if (recorded === null) return 'none';
  if (recorded.spec) return recorded.spec;
  // Indexes from before the spec was recorded: these names are their own specs.
  if (recorded.name === 'use-lite' || recorded.name.startsWith('transformers:')) return recorded.name;
  throw new LibraryError(
    'embedder_mismatch',
    `this library's index was built with ${recorded.name} (${recorded.dimensions} dimensions) but does not record how to reach it`,
    `Pass it once with --embedder ${recorded.name}@<base URL> (or MCDEWEY_EMBEDDER); it is remembered from then on`,
  );
}

/** The spec as recorded in the index: without user name and password in an endpoint URL. */
export function recordableSpec(spec: string): string {
  return spec.replace(/(https?:\/\/)[^/@]*@/i, '$1');
}
