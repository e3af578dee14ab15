/**
 * The original of every document (the PDF, HTML, Markdown or text file it was converted from),
 * kept by content hash so that readers can open the vendor's own page ("Open original", the PDF page
 * beside the extracted text) and a library can be re-converted later. Identical bytes added twice
 * are kept once. Only names this module makes (64 hex digits and a known extension, inside
 * `originals/`) are ever read or deleted here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataDir } from './data-dir.js';
import type { DocumentMeta } from './model.js';
import { resolveInside } from './paths.js';
import { writeFilesDurably } from './durable-files.js';

const EXTENSION: Readonly<Record<DocumentMeta['format'], string>> = { pdf: 'pdf', html: 'html', markdown: 'md', text: 'txt' };
const HASH = /^[0-9a-f]{64}$/;

/** Where the original with this content hash and format is kept, or undefined for a hash this module never makes. */
export function originalPath(dir: DataDir, contentHash: string, format: DocumentMeta['format']): string | undefined {
  if (!HASH.test(contentHash)) return undefined;
  return resolveInside(dir.originalsDir, contentHash.slice(0, 2), `${contentHash}.${EXTENSION[format]}`);
}

/**
 * Keeps the bytes under their hash: written to a staging name beside the target, flushed, and
 * renamed into place, so a reader never sees half a file. Bytes already kept are not written again.
 */
export function keepOriginal(dir: DataDir, contentHash: string, format: DocumentMeta['format'], bytes: Uint8Array): void {
  const target = originalPath(dir, contentHash, format);
  if (!target || fs.existsSync(target)) return;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staged = `${target}.${randomUUID()}.partial`;
  try {
    const fd = fs.openSync(staged, 'wx');
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(staged, target);
  } catch (error) {
    fs.rmSync(staged, { force: true });
    throw error;
  }
}

/** An original to keep: its bytes, their hash and format. */
export interface Original {
  contentHash: string;
  format: DocumentMeta['format'];
  bytes: Uint8Array;
}

/** `keepOriginal` for a batch of documents, their bytes flushed to disk together. */
export async function keepOriginals(dir: DataDir, originals: readonly Original[]): Promise<void> {
  const moves = new Map<string, { staged: string; bytes: Uint8Array }>();
  for (const { contentHash, format, bytes } of originals) {
    const target = originalPath(dir, contentHash, format);
    if (!target || moves.has(target) || fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    moves.set(target, { staged: `${target}.${randomUUID()}.partial`, bytes });
  }
  try {
    await writeFilesDurably([...moves.values()].map(({ staged, bytes }) => ({ file: staged, data: bytes })));
    for (const [target, { staged }] of moves) fs.renameSync(staged, target);
  } catch (error) {
    for (const { staged } of moves.values()) fs.rmSync(staged, { force: true });
    throw error;
  }
}

/** Removes a kept original once no document refers to it any more. */
export function forgetOriginal(dir: DataDir, contentHash: string, format: DocumentMeta['format']): void {
  const target = originalPath(dir, contentHash, format);
  if (target) fs.rmSync(target, { force: true });
}
