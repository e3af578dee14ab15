import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { parseDocumentFile } from '../../src/library/document-file.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { Library } from '../../src/service/library.js';
import { loadConfig } from '../../src/config/config.js';

/**
 * What the fault tests compare: a data directory's Markdown files and index, as seen on disk and
 * through `mcdewey check`, and whole directory trees (to prove nothing was written elsewhere).
 */

/** Runs the real CLI on a data directory (lexical only unless an embedder is given). */
export function mcdewey(dataDir: string, args: string[], options: { embedder?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  return runCli(['--data', dataDir, '--embedder', options.embedder ?? 'none', ...args], options.env ? { env: options.env } : {});
}

export interface LibrarySnapshot {
  /** Library-relative path of every Markdown file → sha256 of its bytes. */
  files: Record<string, string>;
  /** Document id → [markdown hash, chunk count, page count] from the index. */
  documents: Record<string, [string, number, number]>;
}

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

function walk(root: string, relative = ''): string[] {
  const folder = path.join(root, relative);
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    return entry.isDirectory() ? [`${child}/`, ...walk(root, child)] : [child];
  });
}

/** The library's files and the index's documents, read directly (the index read-only; skipped with `index: false`). */
export function snapshotLibrary(dataDir: string, options: { index?: boolean } = {}): LibrarySnapshot {
  const libraryDir = path.join(dataDir, 'library');
  const files: Record<string, string> = {};
  for (const entry of walk(libraryDir)) {
    if (!entry.endsWith('/')) files[entry] = sha256(fs.readFileSync(path.join(libraryDir, entry)));
  }
  const documents: LibrarySnapshot['documents'] = {};
  const indexFile = path.join(dataDir, 'index.sqlite');
  if (options.index !== false && fs.existsSync(indexFile)) {
    const store = new SqliteStore(indexFile, { readonly: true });
    try {
      for (const doc of store.documents()) documents[doc.docId] = [doc.markdownHash, doc.chunkCount, doc.pageCount];
    } finally {
      store.close();
    }
  }
  return { files, documents };
}

/**
 * Asserts that the Markdown files and the index agree, as `mcdewey check` sees it (through the
 * service in this process, or through the real CLI with `via: 'cli'`; opening the library is what
 * settles interrupted writes, as it is for the CLI) and independently: every file parses and sits
 * where its front matter says, the library folder holds nothing but document files (no empty
 * folders a rollback forgot), and no write journal is left unsettled. Returns the snapshot for
 * before/after comparisons.
 */
export async function assertLibraryConsistent(dataDir: string, options: { embedder?: string; via?: 'cli' | 'service' } = {}): Promise<LibrarySnapshot> {
  if (options.via === 'cli') {
    const check = mcdewey(dataDir, ['check', '--json'], options);
    assert.equal(check.status, 0, `mcdewey check failed:\n${check.stdout}\n${check.stderr}`);
    assert.deepEqual(JSON.parse(check.stdout), { ok: true, problems: [] });
  } else {
    const library = await Library.open(loadConfig({ data: dataDir, embedder: options.embedder ?? 'none' }, {}), 'read');
    try {
      assert.deepEqual(library.verify(), [], 'the index agrees with the library files');
    } finally {
      await library.close();
    }
  }
  const libraryDir = path.join(dataDir, 'library');
  for (const entry of walk(libraryDir)) {
    const full = path.join(libraryDir, entry);
    if (entry.endsWith('/')) {
      assert.ok(fs.readdirSync(full).length > 0, `empty folder left in the library: ${entry}`);
      continue;
    }
    assert.ok(entry.endsWith('.md'), `stray file in the library: ${entry}`);
    const { meta, pages } = parseDocumentFile(fs.readFileSync(full, 'utf8'), entry);
    assert.equal(meta.sourcePath, entry);
    assert.equal(pages.length, meta.pageCount);
  }
  const tmp = path.join(dataDir, 'tmp');
  const journals = fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((name) => name.endsWith('.journal')) : [];
  assert.deepEqual(journals, [], 'an interrupted write was left unsettled');
  const snapshot = snapshotLibrary(dataDir);
  assert.deepEqual(
    Object.keys(snapshot.files).sort(),
    Object.keys(snapshot.documents).map((id) => `${id.split('::').join('/')}.md`).sort(),
    'the index and the library folder list different documents',
  );
  return snapshot;
}

/**
 * Every entry below `root` with its type, size and modification time, except the folders named
 * in `skip` (relative to root). Comparing two of these shows any write anywhere in the tree.
 */
export function snapshotTree(root: string, skip: string[] = []): Map<string, string> {
  const entries = new Map<string, string>();
  const visit = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip.includes(child)) continue;
      const stat = fs.lstatSync(path.join(root, child));
      entries.set(child, `${entry.isDirectory() ? 'dir' : entry.isSymbolicLink() ? 'link' : 'file'} ${stat.size} ${stat.mtimeMs}`);
      if (entry.isDirectory()) visit(child);
    }
  };
  visit('');
  return entries;
}
