import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveInside } from '../../library/paths.js';
import { packageVersion } from '../../version.js';
import type { TransformersPooling } from '../transformers-options.js';
import { findCatalogueModel } from './catalogue.js';
import { downloadFile, type DownloadOutcome, type DownloadRequest } from './download-file.js';
import { listRemoteFiles, type RemoteFile } from './hub-listing.js';
import { DEFAULT_MODEL_HUB, fileUrl, MODEL_REVISION, normaliseHubBase, type HubLocation } from './hub-urls.js';
import { selectModelFiles, type PullDtype } from './model-files.js';
import { findPulledModel, MANIFEST_FILE, modelDirectory, type ModelManifest, type PulledModel } from './pulled-models.js';
import { parseRepoId } from './repo-id.js';

/** How a model outside the catalogue is used; catalogue models bring their own. */
export interface ModelSettings {
  pooling?: TransformersPooling;
  queryPrefix?: string;
  documentPrefix?: string;
}

export interface PullProgress {
  start(files: readonly RemoteFile[]): void;
  /** Bytes of `file` on disk so far. */
  file(file: RemoteFile, bytes: number): void;
  fileDone(file: RemoteFile, outcome: DownloadOutcome): void;
  /** Always called last, also after a failure. */
  stop(): void;
}

export interface PullRequest {
  modelsDir: string;
  /** A catalogue name ("bge-small-en-v1.5") or any repository id ("org/name"). */
  model: string;
  dtype?: PullDtype;
  /** Base URL of the hub or of a mirror with its layout. */
  hub?: string;
  settings?: ModelSettings;
  progress?: PullProgress;
  /** Retry and stall limits for each file (tests shorten them). */
  transfer?: Pick<DownloadRequest, 'maxAttempts' | 'retryDelayMs' | 'stallTimeoutMs'>;
}

export interface PullResult {
  model: PulledModel;
  files: { path: string; size: number; outcome: DownloadOutcome }[];
}

export const DEFAULT_PULL_DTYPE: PullDtype = 'fp32';

/**
 * Downloads the files transformers.js needs for one model into `<models>/<org>/<name>/`, each verified against the
 * hub's listing, then writes the manifest that makes the model usable as `--embedder <name>` with no network.
 * Pulling again verifies what is there, resumes what was cut and fetches only what is missing; pulling another
 * dtype replaces the weights once the new ones are in place.
 */
export async function pullModel(request: PullRequest): Promise<PullResult> {
  const catalogued = findCatalogueModel(request.model);
  const repo = catalogued?.repo ?? request.model;
  parseRepoId(repo);
  const settings = request.settings ?? {};
  const overridden = Object.keys(settings).filter((key) => settings[key as keyof ModelSettings] !== undefined);
  if (catalogued && overridden.length > 0) {
    throw new Error(`${catalogued.name} comes with its own settings (${catalogued.pooling} pooling${catalogued.queryPrefix ? ', a query prefix' : ''}); ${overridden.join(', ')} can only be set for models outside the catalogue`);
  }
  const dtype = request.dtype ?? DEFAULT_PULL_DTYPE;
  const location: HubLocation = { base: normaliseHubBase(request.hub ?? DEFAULT_MODEL_HUB), repo, revision: MODEL_REVISION };
  const headers = { 'user-agent': `mcdewey/${packageVersion()}` };

  const listing = await listRemoteFiles(location, headers);
  const files = selectModelFiles(repo, listing, dtype);
  const directory = modelDirectory(request.modelsDir, repo);
  const previous = previousManifest(request.modelsDir, repo);

  const outcomes: PullResult['files'] = [];
  const progress = request.progress;
  progress?.start(files);
  try {
    for (const file of files) {
      const target = resolveInside(directory, file.path);
      await mkdir(path.dirname(target), { recursive: true });
      const outcome = await downloadFile({
        url: fileUrl(location, file.path),
        target,
        expected: file,
        headers,
        onProgress: (bytes) => progress?.file(file, bytes),
        ...request.transfer,
      });
      progress?.fileDone(file, outcome);
      outcomes.push({ path: file.path, size: file.size, outcome });
    }
  } finally {
    progress?.stop();
  }

  // Unset settings and checksums are undefined here and simply left out of the JSON file.
  const manifest: ModelManifest = {
    format: 1,
    name: catalogued?.name ?? repo,
    repo,
    revision: location.revision,
    source: location.base,
    dtype,
    pooling: catalogued?.pooling ?? settings.pooling ?? 'mean',
    queryPrefix: catalogued ? catalogued.queryPrefix : settings.queryPrefix,
    documentPrefix: catalogued ? catalogued.documentPrefix : settings.documentPrefix,
    pulledAt: new Date().toISOString(),
    files,
  };
  await writeManifest(directory, manifest);
  // Weights of a dtype pulled before are dropped only now, so the model stays usable until the new ones are in.
  const kept = new Set(files.map((file) => file.path));
  for (const stale of previous?.files ?? []) {
    if (!kept.has(stale.path)) await rm(resolveInside(directory, stale.path), { force: true });
  }
  return { model: findPulledModel(request.modelsDir, repo)!, files: outcomes };
}

function previousManifest(modelsDir: string, repo: string): ModelManifest | undefined {
  try {
    return findPulledModel(modelsDir, repo)?.manifest;
  } catch {
    // A damaged manifest is replaced by this pull; the files it listed are verified or fetched again anyway.
    return undefined;
  }
}

/** Written to a temporary name and renamed, so a manifest is either the old one or the complete new one. */
async function writeManifest(directory: string, manifest: ModelManifest): Promise<void> {
  const target = path.join(directory, MANIFEST_FILE);
  const temporary = `${target}.partial`;
  await writeFile(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(temporary, target);
}
