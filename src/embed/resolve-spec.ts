import { EmbedderConfigSchema, parseEmbedderSpec, type EmbedderConfig, type EmbedderSpecExtras } from './factory.js';
import { findPulledModel, repoOf } from './models/pulled-models.js';

export interface ResolveSpecOptions extends EmbedderSpecExtras {
  /** `<data>/models`, where `mcdewey model pull` puts models. */
  modelsDir: string;
}

/**
 * Reads an `--embedder` value like `parseEmbedderSpec`, and also accepts the name of a pulled model (a catalogue
 * name such as "bge-small-en-v1.5" or a repository id "org/name"): it becomes the model's folder with the settings
 * recorded when it was pulled, loaded with no network access.
 */
export function resolveEmbedderSpec(spec: string, options: ResolveSpecOptions): EmbedderConfig {
  const { modelsDir, ...extras } = options;
  const name = spec.trim();
  if (repoOf(name) === undefined) return parseEmbedderSpec(name, extras);

  const pulled = findPulledModel(modelsDir, name);
  if (!pulled) {
    throw new Error(
      `the model ${name} has not been pulled into ${modelsDir}: run \`mcdewey model pull ${name}\` first ` +
        '(where the model hub is reachable, or with --model-mirror <url>); `mcdewey model list` shows the pulled models',
    );
  }
  const { manifest } = pulled;
  return EmbedderConfigSchema.parse({
    kind: 'transformers',
    model: pulled.directory,
    name: manifest.name,
    pooling: manifest.pooling,
    dtype: manifest.dtype,
    ...(manifest.queryPrefix === undefined ? {} : { queryPrefix: manifest.queryPrefix }),
    ...(manifest.documentPrefix === undefined ? {} : { documentPrefix: manifest.documentPrefix }),
  });
}
