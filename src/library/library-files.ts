/**
 * Reads and writes the Markdown tree. A write lands atomically (write to tmp/, fsync, rename),
 * its file's layout is stored after it (layout-files.ts: a crash in between leaves a layout that
 * does not match, which is never used), and `writeDocumentAtomically` puts the previous file back if the index update that follows
 * fails, so the tree and the index never disagree after an error, nor after a crash once
 * `recoverInterruptedWrites` has run.
 */

import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { DocumentKey, Page } from './model.js';
import type { DataDir } from './data-dir.js';
import { documentFilePath } from './paths.js';
import { ensureStagingArea, newStagingId, stagingEntries, stagingPath } from './staging.js';
import { writeFilesDurably } from './durable-files.js';
import { layoutOfBytes } from './document-file-layout.js';
import { fileIdentity, layoutFilePath, removeLayoutFile, writeLayoutFile, type StoredLayout } from './layout-files.js';

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

/** One document file to write: its key, its new text and that text's sha256, and the pages the index will hold for it. */
export interface DocumentWrite {
  key: DocumentKey;
  text: string;
  hash: string;
  /** Without them the file's stored layout is compared with the index by its first reader. */
  pages?: readonly Pick<Page, 'number' | 'markdown'>[];
}

/** The two steps of a batch that run under the write lock, around the file switch. */
export interface BatchSteps {
  /**
   * Called for each document, in order, before its file moves: throwing leaves that document out
   * of the batch (it is reported with the error) while the others go on.
   */
  admit(index: number): void;
  /** The index transaction for the documents admitted (called once even when none were). */
  commit(admitted: number[]): void;
}

/**
 * Writes `text` as the document's file, runs `commit` (the index transaction), and restores
 * the previous file (or removes the new one) if `commit` throws. See `writeDocumentsAtomically`.
 */
export function writeDocumentAtomically(
  dir: DataDir, key: DocumentKey, text: string, commit: () => void, lock: WriteLock = runUnlocked, pages?: readonly Pick<Page, 'number' | 'markdown'>[],
): void {
  const id = newStagingId('write');
  const writes: DocumentWrite[] = [{ key, text, hash: sha256(text), ...(pages ? { pages } : {}) }];
  const staged = stageSync(dir, id, writes);
  const layouts = stagedLayouts(writes, staged);
  const refused = switchDocuments(dir, id, writes, staged, { admit: () => {}, commit: () => commit() }, lock);
  if (refused.size > 0) throw refused.get(0);
  storeLayouts(dir, writes, layouts, refused);
}

/**
 * Writes many document files and their index rows as one batch: every file is staged and
 * flushed to disk together (one wave of parallel flushes instead of one wait per file), then,
 * under `lock` (the index's write lock), one journal names them all, the files switch into place
 * and `steps.commit` runs the index transaction. Each document ends either fully in (file and
 * rows) or fully out, after an error as after a crash: a failing commit puts every previous file
 * back, and `recoverInterruptedWrites` settles what a crash left, document by document, from the
 * journal. The journal, the file switch and the index transaction run under the lock, which
 * recovery takes too, so recovery never mistakes a write in progress for an interrupted one.
 * Resolves to the documents `steps.admit` refused, with why.
 */
export async function writeDocumentsAtomically(dir: DataDir, writes: DocumentWrite[], steps: BatchSteps, lock: WriteLock = runUnlocked): Promise<Map<number, unknown>> {
  const id = newStagingId('write');
  const staged = await stageDurably(dir, id, writes);
  const layouts = stagedLayouts(writes, staged);
  const refused = switchDocuments(dir, id, writes, staged, steps, lock);
  storeLayouts(dir, writes, layouts, refused);
  return refused;
}

/**
 * The layout of each staged file, found from the text in memory: a rename keeps the file's
 * identity, so the layout matches the file once it is in place. Undefined where the staged file
 * cannot be looked at (its reads then scan it in the background).
 */
function stagedLayouts(writes: DocumentWrite[], staged: string[]): (StoredLayout | undefined)[] {
  return writes.map((write, i) => {
    try {
      return { ...layoutOfBytes(Buffer.from(write.text, 'utf8'), write.hash, write.pages), identity: fileIdentity(fs.statSync(staged[i]!)) };
    } catch {
      return undefined;
    }
  });
}

/**
 * Stores the layout of a document file already in place whose text is `text` (a re-index, which
 * read it) and `pages` its index rows: only if the file still hashes to `hash` once its identity
 * is taken, so the layout never describes other bytes. Best effort, as every layout write.
 */
export function storeLayoutOf(dir: DataDir, key: DocumentKey, text: string, hash: string, pages: readonly Pick<Page, 'number' | 'markdown'>[]): void {
  try {
    const file = documentFilePath(dir.libraryDir, key);
    const identity = fileIdentity(fs.statSync(file));
    if (sha256(fs.readFileSync(file)) !== hash || fileIdentity(fs.statSync(file)) !== identity) return;
    writeLayoutFile(dir, layoutFilePath(dir, key), { ...layoutOfBytes(Buffer.from(text, 'utf8'), hash, pages), identity });
  } catch {
    // Without a layout the file's reads scan it in the background.
  }
}

/** Stores the layouts of the documents written (not those refused), after their files and index rows. */
function storeLayouts(dir: DataDir, writes: DocumentWrite[], layouts: (StoredLayout | undefined)[], refused: Map<number, unknown>): void {
  writes.forEach((write, i) => {
    const layout = layouts[i];
    if (!layout || refused.has(i)) return;
    try {
      writeLayoutFile(dir, layoutFilePath(dir, write.key), layout);
    } catch {
      // Best effort: without a layout the file's reads scan it in the background.
    }
  });
}

/** The staged copy of a batch's n-th document, and where its previous file waits meanwhile. */
const stagedFile = (dir: DataDir, id: string, index: number) => stagingPath(dir, `${id}.${index}`, '.md');
const backupFile = (dir: DataDir, id: string, index: number) => stagingPath(dir, `${id}.${index}`, '.bak');

function stageSync(dir: DataDir, id: string, writes: DocumentWrite[]): string[] {
  ensureStagingArea(dir);
  const staged = writes.map((_, i) => stagedFile(dir, id, i));
  try {
    writes.forEach((write, i) => writeDurably(staged[i]!, write.text));
  } catch (error) {
    for (const file of staged) fs.rmSync(file, { force: true }); // half-written copies on a full disk would only waste space
    throw error;
  }
  return staged;
}

async function stageDurably(dir: DataDir, id: string, writes: DocumentWrite[]): Promise<string[]> {
  ensureStagingArea(dir);
  const staged = writes.map((_, i) => stagedFile(dir, id, i));
  try {
    await writeFilesDurably(writes.map((write, i) => ({ file: staged[i]!, data: write.text })));
  } catch (error) {
    for (const file of staged) fs.rmSync(file, { force: true });
    throw error;
  }
  return staged;
}

/**
 * Under the lock: journals the batch, switches each admitted document's file into place (its
 * previous file kept as a hard link until the end), commits, and flushes the folders the files
 * moved into. On any error after the journal, every switched file is switched back.
 */
function switchDocuments(dir: DataDir, id: string, writes: DocumentWrite[], staged: string[], steps: BatchSteps, lock: WriteLock): Map<number, unknown> {
  const journal = stagingPath(dir, id, '.journal');
  const refused = new Map<number, unknown>();
  const moved: { index: number; hadPrevious: boolean }[] = [];
  try {
    // The index transaction commits as `lock` returns, so the rollback below also covers a
    // COMMIT that fails (a disk that fills up while the write-ahead log grows).
    lock(() => {
      const entries = writes.map(({ key, hash }) => ({ key, hash }));
      writeDurably(journal, JSON.stringify({ kind: 'write', documents: entries } satisfies Journal));
      fsyncFolder(dir.tmpDir); // the journal's name must outlive a power cut that the moves outlive
      const folders = new Set<string>();
      writes.forEach(({ key }, index) => {
        try {
          steps.admit(index);
        } catch (error) {
          refused.set(index, error);
          return;
        }
        const target = documentFilePath(dir.libraryDir, key);
        const folder = path.dirname(target);
        if (!folders.has(folder)) fs.mkdirSync(folder, { recursive: true });
        folders.add(folder);
        let hadPrevious = false;
        try {
          fs.linkSync(target, backupFile(dir, id, index));
          hadPrevious = true;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
        moved.push({ index, hadPrevious });
        fs.renameSync(staged[index]!, target);
      });
      steps.commit(moved.map((m) => m.index));
      for (const folder of folders) fsyncFolder(folder);
    });
  } catch (error) {
    // Outside the lock, so crash recovery in another process may be settling this same journal:
    // each step tolerates finding its work already done.
    for (const { index, hadPrevious } of moved) {
      if (hadPrevious) renameIfPresent(backupFile(dir, id, index), documentFilePath(dir.libraryDir, writes[index]!.key));
      else removeDocumentFile(dir, writes[index]!.key, { onlyIfHash: writes[index]!.hash });
    }
    removeStaged(dir, id, writes.length);
    throw error;
  }
  removeStaged(dir, id, writes.length);
  return refused;
}

/** Removes a batch's leftovers, the journal last: until then a crash is still settled from it. */
function removeStaged(dir: DataDir, id: string, count: number): void {
  for (let i = 0; i < count; i++) {
    unlinkIfPresent(stagedFile(dir, id, i));
    unlinkIfPresent(backupFile(dir, id, i));
  }
  unlinkIfPresent(stagingPath(dir, id, '.journal'));
}

function unlinkIfPresent(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

function renameIfPresent(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * What a journal describes: the documents of a batch, each switched to the text with `hash`
 * (`documents`, the n-th one's files staged as `<id>.<n>.md|.bak`); or, from versions before
 * batches, one document switched ('write' or no kind, files `<id>.md|.bak`); or the file with
 * `hash` moved aside to be removed ('remove').
 */
type Journal =
  | { kind: 'write'; documents: { key: DocumentKey; hash: string }[] }
  | { kind?: 'write' | 'remove'; key: DocumentKey; hash: string };

function writeDurably(file: string, text: string): void {
  const fd = fs.openSync(file, 'wx');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes the names created or moved in `folder` outlive a power cut. */
function fsyncFolder(folder: string): void {
  const fd = fs.openSync(folder, 'r');
  try {
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
    const journalFile = stagingPath(dir, id, '.journal');
    let journal: Journal | undefined;
    try {
      journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as Journal;
    } catch {
      // Cut off while it was written: no document file was touched yet.
    }
    if (journal && 'documents' in journal) {
      journal.documents.forEach((entry, index) => {
        settleWrite(dir, entry, indexedHash, backupFile(dir, id, index));
        for (const file of [stagedFile(dir, id, index), backupFile(dir, id, index)]) fs.rmSync(file, { force: true });
      });
    } else if (journal?.kind === 'remove') {
      // Still indexed with the same text: the removal never committed, so the file goes back.
      const target = documentFilePath(dir.libraryDir, journal.key);
      if (indexedHash(journal.key) === journal.hash) restoreAside(stagingPath(dir, id, '.bak'), target);
      else {
        removeLayoutFile(dir, journal.key);
        removeEmptyFolders(dir, path.dirname(target));
      }
    } else if (journal) settleWrite(dir, journal, indexedHash, stagingPath(dir, id, '.bak'));
    for (const suffix of ['.md', '.bak', '.journal'] as const) fs.rmSync(stagingPath(dir, id, suffix), { force: true });
  }
}

/** A journalled write whose index rows did not commit: the previous file goes back, or the new one goes. */
function settleWrite(dir: DataDir, entry: { key: DocumentKey; hash: string }, indexedHash: (key: DocumentKey) => string | undefined, backup: string): void {
  if (indexedHash(entry.key) === entry.hash) return;
  if (fs.existsSync(backup)) renameIfPresent(backup, documentFilePath(dir.libraryDir, entry.key));
  else removeDocumentFile(dir, entry.key, { onlyIfHash: entry.hash });
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
  removeLayoutFile(dir, key); // before the journal: a crash until then removes it in recovery
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
