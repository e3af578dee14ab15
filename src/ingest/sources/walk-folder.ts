import fs from 'node:fs';
import path from 'node:path';
import { kindOf } from './read-source.js';

/**
 * Lists the regular files below a folder, in the order a depth-first walk with sorted names
 * gives, without recursion (a folder may hold hundreds of thousands of files, and nesting is up
 * to the file system). What is not read is reported, never silently dropped: unreadable folders,
 * symbolic links (followed only when asked, and only to places inside the folder), named pipes,
 * sockets and devices (reading a pipe would block forever).
 */
export type SkipReason = 'unreadable' | 'link' | 'link-outside' | 'link-broken' | 'link-loop' | 'special' | 'duplicate';

export interface SkippedEntry {
  path: string;
  reason: SkipReason;
  /** What it is or why it failed, e.g. "named pipe (FIFO)", "EACCES". */
  detail: string;
}

export interface FolderListing {
  files: string[];
  skipped: SkippedEntry[];
}

interface Frame {
  /** The folder as reached (through links when followed), for labels and messages. */
  folder: string;
  /** Its real path when following links (for telling inside from outside and spotting loops); else `folder`. */
  real: string;
  entries: fs.Dirent[];
  next: number;
}

export function walkFolder(root: string, options: { followLinks?: boolean } = {}): FolderListing {
  const rootReal = fs.realpathSync(root);
  // Only followed links can reach a file or folder twice, so only then are real paths tracked.
  const following = options.followLinks === true;
  const listing: FolderListing = { files: [], skipped: [] };
  const enteredFolders = new Set<string>([rootReal]);
  const seenFiles = new Set<string>();
  const frames: Frame[] = [{ folder: root, real: rootReal, entries: sortedEntries(root), next: 0 }];
  const skip = (entry: string, reason: SkipReason, detail: string) => listing.skipped.push({ path: entry, reason, detail });
  const enter = (folder: string, real: string) => {
    try {
      frames.push({ folder, real, entries: sortedEntries(folder), next: 0 });
      if (following) enteredFolders.add(real);
    } catch (error) {
      skip(folder, 'unreadable', (error as NodeJS.ErrnoException).code ?? (error as Error).message);
    }
  };
  const addFile = (file: string, real: string) => {
    if (following) {
      if (seenFiles.has(real)) return skip(file, 'duplicate', `the same file as ${path.relative(rootReal, real) || real}, already listed`);
      seenFiles.add(real);
    }
    listing.files.push(file);
  };

  while (frames.length > 0) {
    const frame = frames[frames.length - 1]!;
    const entry = frame.entries[frame.next++];
    if (!entry) {
      frames.pop();
      continue;
    }
    if (entry.name.startsWith('.')) continue;
    const full = path.join(frame.folder, entry.name);
    const real = following ? path.join(frame.real, entry.name) : full;
    if (entry.isDirectory()) {
      if (following && enteredFolders.has(real)) skip(full, 'duplicate', 'already listed through a link');
      else enter(full, real);
    } else if (entry.isFile()) addFile(full, real);
    else if (!entry.isSymbolicLink()) skip(full, 'special', kindOf(entry));
    else if (!following) skip(full, 'link', 'a symbolic link');
    else {
      let target: string;
      let stat: fs.Stats;
      try {
        target = fs.realpathSync(full);
        stat = fs.statSync(target);
      } catch (error) {
        skip(full, 'link-broken', (error as NodeJS.ErrnoException).code ?? (error as Error).message);
        continue;
      }
      if (target !== rootReal && !target.startsWith(rootReal + path.sep)) skip(full, 'link-outside', `points outside the folder, to ${target}`);
      else if (stat.isDirectory()) {
        if (enteredFolders.has(target)) skip(full, 'link-loop', `leads to ${path.relative(rootReal, target) || 'the folder itself'}, already walked`);
        else enter(full, target);
      } else if (stat.isFile()) addFile(full, target);
      else skip(full, 'special', kindOf(stat));
    }
  }
  return listing;
}

function sortedEntries(folder: string): fs.Dirent[] {
  return fs.readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
