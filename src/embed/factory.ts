import { z } from 'zod';
import type { Embedder } from './embedder.js';
import { OpenAIEmbedder } from './openai.js';
import {
  TRANSFORMERS_DTYPES,
  TRANSFORMERS_POOLINGS,
  type TransformersDtype,
  type TransformersPooling,
} from './transformers-options.js';
import { TransformersEmbedder } from './transformers.js';
import { UseLiteEmbedder } from './use-lite.js';

export const EmbedderConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('use-lite') }),
  z.strictObject({
    kind: z.literal('transformers'),
    model: z.string().min(1),
    pooling: z.enum(TRANSFORMERS_POOLINGS).default('mean'),
    queryPrefix: z.string().optional(),
    documentPrefix: z.string().optional(),
    dtype: z.enum(TRANSFORMERS_DTYPES).optional(),
    cacheDir: z.string().min(1).optional(),
    /** Identity recorded in the index; a pulled model goes by its own name rather than by its folder. */
    name: z.string().min(1).optional(),
  }),
  z.strictObject({
    kind: z.literal('openai'),
    baseUrl: z.url({ protocol: /^https?$/ }),
    model: z.string().min(1),
    apiKey: z.string().min(1).optional(),
    dimensions: z.number().int().positive().optional(),
  }),
  z.strictObject({ kind: z.literal('none') }),
]);

export type EmbedderConfig = z.infer<typeof EmbedderConfigSchema>;

/** Semantic search is off for `none`, which is why it yields no embedder at all rather than a fake one. */
export function createEmbedder(config: EmbedderConfig): Embedder | null {
  switch (config.kind) {
    case 'use-lite':
      return new UseLiteEmbedder();
    case 'transformers':
      return new TransformersEmbedder(config);
    case 'openai':
      return new OpenAIEmbedder(config);
    case 'none':
      return null;
  }
}

/** Settings given next to the spec string (CLI flags, environment); those not applying to its kind are ignored. */
export interface EmbedderSpecExtras {
  pooling?: TransformersPooling;
  queryPrefix?: string;
  documentPrefix?: string;
  dtype?: TransformersDtype;
  cacheDir?: string;
  apiKey?: string;
  dimensions?: number;
}

const SPEC_FORMS = 'use-lite, none, a pulled model (mcdewey model list), transformers:<hub id or model folder>, openai:<model>@<base URL>';

/**
 * Reads a CLI embedder spec: "use-lite", "none", "transformers:Xenova/bge-small-en-v1.5",
 * "transformers:/models/bge-small", "openai:nomic-embed-text@http://127.0.0.1:11434/v1".
 */
export function parseEmbedderSpec(spec: string, extras: EmbedderSpecExtras = {}): EmbedderConfig {
  const parsed = EmbedderConfigSchema.safeParse(withoutUndefined(specToCandidate(spec.trim(), extras)));
  if (!parsed.success) throw new Error(`invalid embedder "${spec}": ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

function specToCandidate(spec: string, extras: EmbedderSpecExtras): Record<string, unknown> {
  if (spec === 'use-lite' || spec === 'none') return { kind: spec };

  if (spec.startsWith('transformers:')) {
    const { pooling, queryPrefix, documentPrefix, dtype, cacheDir } = extras;
    return { kind: 'transformers', model: spec.slice('transformers:'.length), pooling, queryPrefix, documentPrefix, dtype, cacheDir };
  }

  if (spec.startsWith('openai:')) {
    // The model comes first because base URLs may themselves contain "@" (user info) while model names do not.
    const match = /^(.+?)@(https?:\/\/.+)$/.exec(spec.slice('openai:'.length));
    if (!match) throw new Error(`invalid embedder "${spec}": expected openai:<model>@<base URL>, e.g. openai:nomic-embed-text@http://127.0.0.1:11434/v1`);
    return { kind: 'openai', model: match[1], baseUrl: match[2], apiKey: extras.apiKey, dimensions: extras.dimensions };
  }

  throw new Error(`unknown embedder "${spec}": expected one of ${SPEC_FORMS}`);
}

/** Keeps parsed configs free of `key: undefined` entries, so they compare and serialise cleanly. */
function withoutUndefined(candidate: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(candidate).filter(([, value]) => value !== undefined));
}
