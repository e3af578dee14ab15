/**
 * Reads and writes the Markdown tree. A write lands atomically (write to tmp/, fsync, rename),
 * and `writeDocumentAtomically` puts the previous file back if the index update that follows
 * fails, so the tree and the index never disagree after an error, nor after a crash once
 * `recoverInterruptedWrites` has run.
 */

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { DocumentKey } from './model.js';
import type { DataDir } from './data-dir.js';
import { documentFilePath } from './paths.js';
import { ensureStagingArea, newStagingId, stagingEntries, stagingPath } from './staging.js';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function readDocumentText(dir: DataDir, key: DocumentKey): string | undefined {
  try {
    return fs.readFileSync(documentFilePath(dir.libraryDir, key), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Runs work while holding the index's write lock (see `LibraryStore.withWriteLock`). */
export type WriteLock = <T>(work: () => T) => T;

const runUnlocked: WriteLock = (work) => work();

/**
 * Writes `text` as the document's file, runs `commit` (the index transaction), and restores
 * the previous file (or removes the new one) if `commit` throws.
 *
 * A crash (kill -9, power loss) between the rename and the end of `commit` would leave the new
 * file beside the old index rows, so the switch is journalled: `tmp/<id>.journal` names the
 * document and the new file's hash before the file moves, and is removed once both sides agree.
 * `recoverInterruptedWrites` finishes or undoes what a journal describes. The journal, the file
 * switch and the index transaction run under `lock` (the index's write lock), which recovery takes
 * too, so recovery never mistakes a write in progress for an interrupted one.
 */
export function writeDocumentAtomically(dir: DataDir, key: DocumentKey, text: string, commit: () => void, lock: WriteLock = runUnlocked): void {
  const target = documentFilePath(dir.libraryDir, key);
  ensureStagingArea(dir);
  const id = newStagingId('write');
  const staged = stagingPath(dir, id, '.md');
  const backup = stagingPath(dir, id, '.bak');
  const journal = stagingPath(dir, id, '.journal');
  try {
    writeDurably(staged, text);
  } catch (error) {
    fs.rmSync(staged, { force: true }); // a half-written copy on a full disk would only waste space
    throw error;
  }
  let hadPrevious = false;
  try {
    // The index transaction commits as `lock` returns, so the rollback below also covers a
    // COMMIT that fails (a disk that fills up while the write-ahead log grows).
    lock(() => {
      writeDurably(journal, JSON.stringify({ key, hash: sha256(text) } satisfies Journal));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      try {
        fs.linkSync(target, backup);
        hadPrevious = true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      fs.renameSync(staged, target);
      commit();
    });
  } catch (error) {
    // Outside the lock, so crash recovery in another process may be settling this same journal:
    // each step tolerates finding its work already done.
    if (hadPrevious) renameIfPresent(backup, target);
    else removeDocumentFile(dir, key, { onlyIfHash: sha256(text) });
    for (const leftover of [staged, backup, journal]) fs.rmSync(leftover, { force: true });
    throw error;
  }
  fs.rmSync(backup, { force: true });
  fs.rmSync(journal, { force: true });
}

function renameIfPresent(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * What a journal describes: a document's file switched to the text with `hash` ('write', the
 * default for journals from before removals were journalled), or the file with `hash` moved
 * aside to be removed ('remove').
 */
interface Journal { kind?: 'write' | 'remove'; key: DocumentKey; hash: string }

function writeDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Settles writes and removals that a crash interrupted (see `writeDocumentAtomically` and
 * `removeDocumentAtomically`): where the index shows the change committed only its leftovers
 * go; otherwise the previous file is put back, or the new one removed. Call it under the
 * index's write lock.
 */
export function recoverInterruptedWrites(dir: DataDir, indexedHash: (key: DocumentKey) => string | undefined): void {
  for (const name of journalNames(dir)) {
    const id = name.slice(0, -'.journal'.length);
    const [staged, backup, journalFile] = (['.md', '.bak', '.journal'] as const).map((suffix) => stagingPath(dir, id, suffix)) as [string, string, string];
    let journal: Journal | undefined;
    try {
      journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as Journal;
    } catch {
      // Cut off while it was written: the document file was not touched yet.
    }
    if (journal?.kind === 'remove') {
      // Still indexed with the same text: the removal never committed, so the file goes back.
      const target = documentFilePath(dir.libraryDir, journal.key);
      if (indexedHash(journal.key) === journal.hash) restoreAside(backup, target);
      else removeEmptyFolders(dir, path.dirname(target));
    } else if (journal && indexedHash(journal.key) !== journal.hash) {
      if (fs.existsSync(backup)) renameIfPresent(backup, documentFilePath(dir.libraryDir, journal.key));
      else removeDocumentFile(dir, journal.key, { onlyIfHash: journal.hash });
    }
    for (const file of [staged, backup, journalFile]) fs.rmSync(file, { force: true });
  }
}

/** Journals of document writes in progress or interrupted. */
export function journalNames(dir: DataDir): string[] {
  return stagingEntries(dir).filter((name) => name.endsWith('.journal'));
}

/**
 * Removes a document's file and its index entry so that both end consistent whatever fails:
 * under the write lock the file is moved aside into the staging area (journalled first), then
 * `commit` deletes the index entry; only then is the moved file deleted. If the move or the
 * commit fails the file is put back, and a crash in between is settled from the journal by
 * `recoverInterruptedWrites`. `indexedHash` is the markdown hash the index holds for it.
 */
export function removeDocumentAtomically(dir: DataDir, key: DocumentKey, indexedHash: string, commit: () => void, lock: WriteLock = runUnlocked): void {
  const target = documentFilePath(dir.libraryDir, key);
  ensureStagingArea(dir);
  const id = newStagingId('remove');
  const aside = stagingPath(dir, id, '.bak');
  const journal = stagingPath(dir, id, '.journal');
  let moved = false;
  try {
    lock(() => {
      writeDurably(journal, JSON.stringify({ kind: 'remove', key, hash: indexedHash } satisfies Journal));
      try {
        fs.renameSync(target, aside);
        moved = true;
      } catch (error) {
        // Already gone (deleted by hand): removing the index entry is all that is left to do.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      commit();
    });
  } catch (error) {
    if (moved) restoreAside(aside, target);
    fs.rmSync(journal, { force: true });
    throw error;
  }
  fs.rmSync(aside, { force: true });
  fs.rmSync(journal, { force: true });
  removeEmptyFolders(dir, path.dirname(target));
}

/** Puts a file moved aside back, unless something else has taken its place meanwhile. */
function restoreAside(aside: string, target: string): void {
  if (!fs.existsSync(aside)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  try {
    fs.linkSync(aside, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Removes a document's file and the folders it leaves empty (never above the library dir); with
 * `onlyIfHash`, only when the file holds exactly that text (so a rollback never removes a file
 * that some other write put there).
 */
export function removeDocumentFile(dir: DataDir, key: DocumentKey, options: { onlyIfHash?: string } = {}): void {
  const target = documentFilePath(dir.libraryDir, key);
  if (options.onlyIfHash !== undefined) {
    let text: string | undefined;
    try {
      text = fs.readFileSync(target, 'utf8');
    } catch {
      // Not there: nothing to remove, but its folders may be empty.
    }
    if (text !== undefined && sha256(text) !== options.onlyIfHash) return;
  }
  fs.rmSync(target, { force: true });
  removeEmptyFolders(dir, path.dirname(target));
}

/** Removes `folder` and its ancestors while they are empty, never the library folder or above. */
function removeEmptyFolders(dir: DataDir, folder: string): void {
  while (folder.startsWith(dir.libraryDir + path.sep)) {
    try {
      fs.rmdirSync(folder);
    } catch {
      break; // not empty
    }
    folder = path.dirname(folder);
  }
}

/** Every document file under the library folder, as paths relative to it. */
export function listDocumentFiles(dir: DataDir): string[] {
  if (!fs.existsSync(dir.libraryDir)) return [];
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir.libraryDir, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(child);
    }
  };
  walk('');
  return found.sort();
}
