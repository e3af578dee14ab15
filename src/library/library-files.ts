import fs from 'node:fs';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { DocumentKey } from './model.js';
import type { DataDir } from './data-dir.js';
import { documentFilePath, resolveInside } from './paths.js';

/**
 * Reads and writes the Markdown tree. A write lands atomically (write to tmp/, fsync, rename),
 * and `commitWithRollback` puts the previous file back if the index update that follows fails,
 * so the tree and the index never disagree after an error.
 */
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

/**
 * Writes `text` as the document's file, runs `commit` (the index transaction), and restores
 * the previous file (or removes the new one) if `commit` throws.
 */
export function writeDocumentAtomically(dir: DataDir, key: DocumentKey, text: string, commit: () => void): void {
  const target = documentFilePath(dir.libraryDir, key);
  fs.mkdirSync(dir.tmpDir, { recursive: true });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staged = resolveInside(dir.tmpDir, `${randomUUID()}.md`);
  const backup = resolveInside(dir.tmpDir, `${randomUUID()}.bak`);
  const fd = fs.openSync(staged, 'wx');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  let hadPrevious = false;
  try {
    fs.linkSync(target, backup);
    hadPrevious = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      fs.rmSync(staged, { force: true });
      throw error;
    }
  }
  try {
    fs.renameSync(staged, target);
    commit();
  } catch (error) {
    if (hadPrevious) fs.renameSync(backup, target);
    else fs.rmSync(target, { force: true });
    fs.rmSync(staged, { force: true });
    throw error;
  }
  if (hadPrevious) fs.rmSync(backup, { force: true });
}

/** Removes a document's file and the folders it leaves empty (never above the library dir). */
export function removeDocumentFile(dir: DataDir, key: DocumentKey): void {
  const target = documentFilePath(dir.libraryDir, key);
  fs.rmSync(target, { force: true });
  let folder = path.dirname(target);
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

/** Removes staging files a crash left behind; recent ones may belong to a running ingestion. */
export function clearStaleStaging(dir: DataDir, olderThanMs = 3_600_000): void {
  if (!fs.existsSync(dir.tmpDir)) return;
  for (const name of fs.readdirSync(dir.tmpDir)) {
    const file = resolveInside(dir.tmpDir, name);
    if (Date.now() - fs.statSync(file).mtimeMs > olderThanMs) fs.rmSync(file, { force: true });
  }
}
