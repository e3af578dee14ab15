import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { resolveInside } from '../../library/paths.js';
import { TRANSFORMERS_POOLINGS } from '../transformers-options.js';
import { findCatalogueModel } from './catalogue.js';
import { PULL_DTYPES } from './model-files.js';
import { looksLikeRepoId, parseRepoId } from './repo-id.js';

/**
 * Pulled models live in the layout transformers.js reads offline, `<data>/models/<org>/<name>/` (config.json,
 * tokenizer files, onnx/model*.onnx). The manifest beside them is written last, so a folder without one is a pull
 * that has not finished; it records the settings the model is used with and what each file was checked against.
 */
export const MANIFEST_FILE = 'mcdewey-model.json';

export const ManifestSchema = z.object({
  format: z.literal(1),
  /** The name the model is used by (`--embedder <name>`) and recorded in an index: catalogue name or repo id. */
  name: z.string().min(1),
  repo: z.string().min(1),
  revision: z.string().min(1),
  source: z.string().min(1),
  dtype: z.enum(PULL_DTYPES),
  pooling: z.enum(TRANSFORMERS_POOLINGS),
  queryPrefix: z.string().optional(),
  documentPrefix: z.string().optional(),
  pulledAt: z.string(),
  files: z.array(z.object({ path: z.string(), size: z.number().int().nonnegative(), sha256: z.string().optional(), gitBlobSha1: z.string().optional() })),
});
export type ModelManifest = z.infer<typeof ManifestSchema>;

export interface PulledModel {
  manifest: ModelManifest;
  directory: string;
  /** Bytes of the files the manifest lists. */
  bytes: number;
}

/** A folder a pull started but did not finish (its `.partial` files are resumed by the next pull), or damaged. */
export interface IncompletePull {
  repo: string;
  directory: string;
  problem: string;
}

/** The folder of a repository's pulled files. */
export function modelDirectory(modelsDir: string, repo: string): string {
  const { org, name } = parseRepoId(repo);
  return resolveInside(modelsDir, org, name);
}

/** The repository a `--embedder` or `mcdewey model` name stands for: a catalogue name, or a repo id as given. */
export function repoOf(nameOrRepo: string): string | undefined {
  const catalogued = findCatalogueModel(nameOrRepo);
  if (catalogued) return catalogued.repo;
  return looksLikeRepoId(nameOrRepo) ? nameOrRepo : undefined;
}

/**
 * The pulled model for a name, undefined when it has not been pulled. Synchronous because embedder specs are
 * resolved while a library opens; a damaged manifest is an error that says how to repair it.
 */
export function findPulledModel(modelsDir: string, nameOrRepo: string): PulledModel | undefined {
  const repo = repoOf(nameOrRepo);
  if (!repo) return undefined;
  const directory = modelDirectory(modelsDir, repo);
  const manifestFile = path.join(directory, MANIFEST_FILE);
  let text: string;
  try {
    text = readFileSync(manifestFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const manifest = parseManifest(text, manifestFile, nameOrRepo);
  return { manifest, directory, bytes: manifest.files.reduce((sum, file) => sum + file.size, 0) };
}

function parseManifest(text: string, file: string, name: string): ModelManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the pulled model's manifest ${file} is damaged; run \`mcdewey model pull ${name}\` to repair it`);
  return parsed.data;
}

/** Every pulled model, and every pull that has not finished, sorted by name. */
export function listPulledModels(modelsDir: string): { models: PulledModel[]; incomplete: IncompletePull[] } {
  const models: PulledModel[] = [];
  const incomplete: IncompletePull[] = [];
  for (const org of subfolders(modelsDir)) {
    for (const name of subfolders(path.join(modelsDir, org))) {
      const repo = `${org}/${name}`;
      if (!looksLikeRepoId(repo)) continue;
      const directory = modelDirectory(modelsDir, repo);
      try {
        const model = findPulledModel(modelsDir, repo);
        if (model) models.push(model);
        else incomplete.push({ repo, directory, problem: `the pull has not finished; run \`mcdewey model pull ${repo}\` to resume it` });
      } catch (error) {
        incomplete.push({ repo, directory, problem: (error as Error).message });
      }
    }
  }
  models.sort((a, b) => a.manifest.name.localeCompare(b.manifest.name));
  incomplete.sort((a, b) => a.repo.localeCompare(b.repo));
  return { models, incomplete };
}

function subfolders(directory: string): string[] {
  try {
    return readdirSync(directory).filter((entry) => statSync(path.join(directory, entry)).isDirectory());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Deletes a model's folder, finished or not, and its organisation folder once empty. Resolves to the deleted
 * folder, or undefined when there was nothing to delete.
 */
export async function removePulledModel(modelsDir: string, nameOrRepo: string): Promise<string | undefined> {
  const repo = repoOf(nameOrRepo);
  if (!repo) throw new Error(`"${nameOrRepo}" is neither a catalogue model nor a repository id (<org>/<name>)`);
  const directory = modelDirectory(modelsDir, repo);
  if (!(await stat(directory).catch(() => undefined))?.isDirectory()) return undefined;
  await rm(directory, { recursive: true, force: true });
  const orgDirectory = path.dirname(directory);
  if ((await readdir(orgDirectory)).length === 0) await rmdir(orgDirectory);
  return directory;
}
