import { Option, type Command } from 'commander';
import { ConfigSchema, envName, loadConfig } from '../../config/config.js';
import { MODEL_CATALOGUE } from '../../embed/models/catalogue.js';
import { DEFAULT_MODEL_HUB } from '../../embed/models/hub-urls.js';
import { PULL_DTYPES, type PullDtype } from '../../embed/models/model-files.js';
import { listPulledModels, removePulledModel, type PulledModel } from '../../embed/models/pulled-models.js';
import { DEFAULT_PULL_DTYPE, pullModel } from '../../embed/models/pull-model.js';
import { TRANSFORMERS_POOLINGS, type TransformersPooling } from '../../embed/transformers-options.js';
import { dataDirAt } from '../../library/data-dir.js';
import { claimDataDir } from '../../library/ownership.js';
import { printJson } from '../context.js';
import { formatBytes } from '../format-bytes.js';
import { createPullProgress } from '../pull-progress.js';

interface PullOptions {
  dtype: PullDtype;
  modelMirror?: string;
  pooling?: TransformersPooling;
  queryPrefix?: string;
  documentPrefix?: string;
  json?: boolean;
}

export function registerModel(program: Command): void {
  const model = program
    .command('model')
    .description('Fetch a retrieval-trained embedding model for offline use (pull), list or remove pulled models');

  model
    .command('pull')
    .description('Download an embedding model into <data>/models, verified and resumable, for use with --embedder <name>')
    .argument('<name>', 'a catalogue name (below) or any transformers.js model repository id, <org>/<name>')
    .addOption(new Option('--dtype <dtype>', 'weights to fetch (fp32: full precision; q8: a quarter of the size, faster)').choices(PULL_DTYPES).default(DEFAULT_PULL_DTYPE))
    .option('--model-mirror <url>', `${ConfigSchema.shape.modelMirror.description} (default ${DEFAULT_MODEL_HUB}) [env ${envName('modelMirror')}]`)
    .addOption(new Option('--pooling <pooling>', 'pooling, for models outside the catalogue (default mean)').choices(TRANSFORMERS_POOLINGS))
    .option('--query-prefix <text>', 'text put before every query, for models outside the catalogue')
    .option('--document-prefix <text>', 'text put before every passage, for models outside the catalogue')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', catalogueHelp())
    .action(async (name: string, options: PullOptions, command: Command) => {
      const globals = command.optsWithGlobals() as Record<string, unknown>;
      const config = loadConfig({ data: globals['data'], modelMirror: options.modelMirror });
      const dir = dataDirAt(config.data);
      // Models live in the data directory: it is made (and marked) a library first, as any write would.
      claimDataDir(dir);
      const modelsDir = dir.modelsDir;
      const result = await pullModel({
        modelsDir,
        model: name,
        dtype: options.dtype,
        ...(config.modelMirror ? { hub: config.modelMirror } : {}),
        settings: { pooling: options.pooling, queryPrefix: options.queryPrefix, documentPrefix: options.documentPrefix },
        progress: createPullProgress(process.stderr, Boolean(options.json)),
      });
      const { manifest, directory, bytes } = result.model;
      if (options.json) return printJson({ ...describe(result.model), files: result.files });
      process.stdout.write(
        `Pulled ${manifest.name} (${manifest.repo}, ${manifest.dtype}, ${formatBytes(bytes)}) into ${directory}\n` +
          `Use it offline: mcdewey reindex --embedder ${manifest.name}, then mcdewey --embedder ${manifest.name} serve\n`,
      );
    });

  model
    .command('list')
    .description('Show the pulled models: name, repository, weights, size and folder')
    .option('--json', 'print the models as JSON')
    .action((options: { json?: boolean }, command: Command) => {
      const modelsDir = modelsDirOf(command);
      const { models, incomplete } = listPulledModels(modelsDir);
      if (options.json) return printJson({ modelsDir, models: models.map(describe), incomplete });
      if (models.length === 0 && incomplete.length === 0) {
        process.stdout.write(`No models pulled into ${modelsDir}. Fetch one with: mcdewey model pull ${MODEL_CATALOGUE[0]!.name}\n`);
        return;
      }
      const width = Math.max(...models.map((m) => m.manifest.name.length), 4);
      for (const { manifest, bytes, directory } of models) {
        process.stdout.write(`${manifest.name.padEnd(width)}  ${manifest.repo}  ${manifest.dtype}  ${formatBytes(bytes)}  ${directory}\n`);
      }
      for (const pull of incomplete) process.stdout.write(`incomplete: ${pull.repo} in ${pull.directory}: ${pull.problem}\n`);
    });

  model
    .command('remove')
    .description('Delete a pulled model (or an unfinished pull) from <data>/models')
    .argument('<name>', 'catalogue name or repository id, as shown by mcdewey model list')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const modelsDir = modelsDirOf(command);
      const removed = await removePulledModel(modelsDir, name);
      if (!removed) throw new Error(`no model ${name} in ${modelsDir}; \`mcdewey model list\` shows the pulled models`);
      if (options.json) return printJson({ removed: name, directory: removed });
      process.stdout.write(`Removed ${name} (${removed}). A library indexed with it needs the model pulled again, or \`mcdewey reindex --embedder <another>\`.\n`);
    });

  for (const command of model.commands) command.exitOverride();
}

function modelsDirOf(command: Command): string {
  const globals = command.optsWithGlobals() as Record<string, unknown>;
  return dataDirAt(loadConfig({ data: globals['data'] }).data).modelsDir;
}

function describe({ manifest, directory, bytes }: PulledModel) {
  const { name, repo, dtype, pooling, queryPrefix, documentPrefix, source, pulledAt } = manifest;
  return { name, repo, dtype, pooling, queryPrefix, documentPrefix, source, pulledAt, directory, bytes };
}

function catalogueHelp(): string {
  const width = Math.max(...MODEL_CATALOGUE.map((m) => m.name.length));
  const rows = MODEL_CATALOGUE.map(
    (m) => `  ${m.name.padEnd(width)}  ${m.repo}, ${m.pooling} pooling${m.queryPrefix ? ', query instruction' : ''}; published SciFact nDCG@10 ${m.scifactNdcg10}`,
  );
  return [
    '',
    'Catalogue:',
    ...rows,
    '',
    'Examples:',
    `  mcdewey model pull ${MODEL_CATALOGUE[0]!.name}`,
    `  mcdewey reindex --embedder ${MODEL_CATALOGUE[0]!.name}      # works offline from now on`,
    '  mcdewey model pull Xenova/e5-small-v2 --query-prefix "query: " --document-prefix "passage: " --dtype q8',
    '  mcdewey model pull all-MiniLM-L6-v2 --model-mirror http://mirror.internal/hf',
  ].join('\n');
}
