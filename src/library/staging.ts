import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { DataDir } from './data-dir.js';
import { resolveInside } from './paths.js';

/**
 * The staging area `<data>/tmp`: where document writes, uploads and removals park their files.
 * Every entry McDewey puts there is named `mcdewey-<kind>-<uuid>[suffix]`, so cleaning up can
 * tell what it made from anything else and never touches the rest.
 */
export type StagingKind = 'write' | 'upload' | 'remove' | 'layout';
export type StagingSuffix = '' | '.md' | '.bak' | '.journal' | '.layout';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
/**
 * Names this module generates: `<id>.<n>.md|.bak` are the files of the n-th document of a batch
 * written under one journal; `mcdewey-layout-<uuid>.layout` is a file's layout on its way into
 * `cache/layouts` (layout-files.ts). The bare `<uuid>.md|.bak|.journal` form is what versions before the
 * prefix wrote, kept so that their crash leftovers are still settled.
 */
const STAGING_NAME = new RegExp(`^(?:mcdewey-(?:write|upload|remove)-${UUID}(?:(?:\\.\\d+)?(?:\\.md|\\.bak)|\\.journal)?|mcdewey-layout-${UUID}\\.layout|${UUID}\\.(?:md|bak|journal))$`);

export function isStagingName(name: string): boolean {
  return STAGING_NAME.test(name);
}

/** A fresh staging id: `mcdewey-<kind>-<uuid>`; suffixes are added by the caller. */
export function newStagingId(kind: StagingKind): string {
  return `mcdewey-${kind}-${randomUUID()}`;
}

export function stagingPath(dir: DataDir, id: string, suffix: StagingSuffix = ''): string {
  return resolveInside(dir.tmpDir, `${id}${suffix}`);
}

export class StagingAreaError extends Error {
  constructor(readonly tmpDir: string, problem: string) {
    super(`the staging folder ${tmpDir} ${problem}; McDewey stages its writes only in a real folder inside the data directory. Remove it (McDewey creates it again) and run the command again`);
    this.name = 'StagingAreaError';
  }
}

/**
 * Creates the staging folder if needed and proves it is a real folder: a symbolic link there
 * would send staged files (and cleanup) outside the data directory.
 */
export function ensureStagingArea(dir: DataDir): string {
  fs.mkdirSync(dir.root, { recursive: true });
  try {
    fs.mkdirSync(dir.tmpDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const stat = fs.lstatSync(dir.tmpDir);
  if (stat.isSymbolicLink()) throw new StagingAreaError(dir.tmpDir, 'is a symbolic link');
  if (!stat.isDirectory()) throw new StagingAreaError(dir.tmpDir, 'is not a folder');
  return dir.tmpDir;
}

/** Names in the staging folder that McDewey generated (empty when there is no real folder). */
export function stagingEntries(dir: DataDir): string[] {
  try {
    if (!fs.lstatSync(dir.tmpDir).isDirectory()) return []; // a symlink or a file: not ours to read
    return fs.readdirSync(dir.tmpDir).filter(isStagingName);
  } catch {
    return [];
  }
}

export interface StagingCleanup {
  removed: string[];
  /** Entries that could not be removed, with why; the others were still cleaned up. */
  failed: { name: string; error: string }[];
}

/**
 * Removes staged entries older than `olderThanMs` (recent ones may belong to a running write or
 * upload): files a crash left before their journal was written and upload folders of a killed
 * server. Only names McDewey generates are touched, symbolic links are never followed or
 * removed, and one entry that cannot be removed does not stop the rest. Journals, and the files
 * of a journalled write or removal, are left to `recoverInterruptedWrites`: a backup there may be
 * the only copy of a document. Call it only for a data directory McDewey has proved it owns.
 */
export function clearStaleStaging(dir: DataDir, olderThanMs = 3_600_000): StagingCleanup {
  const result: StagingCleanup = { removed: [], failed: [] };
  const now = Date.now();
  const names = stagingEntries(dir);
  const journalled = new Set(names.filter((name) => name.endsWith('.journal')).map(stagingIdOf));
  for (const name of names) {
    if (journalled.has(stagingIdOf(name))) continue;
    try {
      const entry = resolveInside(dir.tmpDir, name);
      const stat = fs.lstatSync(entry);
      if (stat.isSymbolicLink()) continue; // McDewey never makes links: not ours
      if (now - lastChange(entry, stat) <= olderThanMs) continue;
      // rmSync removes links inside a folder rather than following them.
      if (stat.isDirectory()) fs.rmSync(entry, { recursive: true, force: true });
      else fs.unlinkSync(entry);
      result.removed.push(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // another process got there first
      result.failed.push({ name, error: (error as Error).message });
    }
  }
  return result;
}

/** `mcdewey-write-<uuid>.bak` (or `.3.bak`) → `mcdewey-write-<uuid>`: the id its journal and other files share. */
function stagingIdOf(name: string): string {
  return name.replace(/(?:\.\d+)?\.(?:md|bak|journal)$/, '');
}

/** A folder's last change is its newest direct entry's too: an upload streams into a file inside it. */
function lastChange(entry: string, stat: fs.Stats): number {
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) {
    try {
      newest = Math.max(newest, fs.lstatSync(resolveInside(entry, child)).mtimeMs);
    } catch {
      // Removed meanwhile.
    }
  }
  return newest;
}
