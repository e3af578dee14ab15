/**
 * Windows of a document file's pages read at byte offsets, so that reading part of a page of tens
 * of MB costs the window, not the page. Where each page's text starts and ends, and every
 * CHECKPOINT_CHARS characters at which byte, is the file's layout (document-file-layout.ts): stored
 * beside the index when the file is written (layout-files.ts) and loaded on a file's first read,
 * a few kilobytes. A layout that is missing or no longer matches the file is found again by
 * scanning the file in the background, a piece per turn of the event loop, so no request waits on
 * a whole file; until it is ready the caller reads from the index. Layouts are kept in memory for
 * a bounded number of entries (least recently used first out). Positions count characters
 * (Unicode code points), as the index's do.
 *
 * A page is read from the file only where the file's bytes are exactly the index's text: the file
 * must hash to the Markdown hash the index was built from, and a page whose text differs from its
 * file lines (an escaped page-marker look-alike, trailing space the index kept) is left out, for
 * the caller to read from the index instead.
 */

import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { DataDir } from './data-dir.js';
import { CHECKPOINT_CHARS, checkAgainstIndex, LayoutScanner, MAX_TAIL_CHARS } from './document-file-layout.js';
import { fileIdentity, readLayoutFile, writeLayoutFile, type StoredLayout } from './layout-files.js';

export { CHECKPOINT_CHARS } from './document-file-layout.js';

/** Bytes scanned per turn of the event loop when a layout is found again: a few milliseconds of work. */
const SCAN_BYTES = 256 * 1024;
/** Layout entries (pages and checkpoints) kept in all; a document's layout is about pages + chars / CHECKPOINT_CHARS. */
const CACHED_ENTRIES = 1_000_000;
/** Files waiting for a background scan; a read past this many is served from the index and asks again later. */
const QUEUED_SCANS = 64;

export interface PageLayout {
  number: number;
  label?: string;
  /** Characters of the page's text, as the index holds it. */
  chars: number;
  /** Of those, the characters the file holds; the rest are `tail`, white space the index kept. */
  fileChars: number;
  tail?: string;
  /** Byte range of the text in the file. */
  byteStart: number;
  byteEnd: number;
  /** Byte offset (from byteStart) of character k × CHECKPOINT_CHARS; absent when every character is one byte. */
  checkpoints?: number[];
}

export interface FileLayout {
  /** Whether the file is the index's version and readable by its markers; when not, nothing is served from it. */
  servable: boolean;
  /** Pages the file can serve, by number. */
  pages: Map<number, PageLayout>;
  /** Every page marker in file order. */
  order: { number: number; label?: string }[];
  /** The file's identity when its layout was found: device, inode, size and modification time. */
  identity: string;
  entries: number;
}

/** What the index says of the document: the hash of the file it was built from, and each page's length in UTF-8 bytes. */
export interface IndexedVersion {
  markdownHash: string;
  pageBytes: () => { number: number; bytes: number }[];
  /**
   * The same read on another thread, where the index allows it (reading a huge page's row takes
   * its whole text), with the index's trailing white space of pages a little longer than in the file.
   */
  pageBytesOffThread?: (fileBytes: ReadonlyMap<number, number>, maxTailBytes: number) => Promise<{ number: number; bytes: number; tail?: string }[]>;
}

/** A document file, and where its layout is stored (none for a file read without a library). */
export interface DocumentFileTarget {
  file: string;
  layout?: string;
}

/** The layout of a file for one version of the index: the pages whose text the file holds exactly as the index does. */
function layoutFor(stored: StoredLayout): FileLayout {
  const layout: FileLayout = { servable: stored.usable, pages: new Map(), order: [], identity: stored.identity, entries: 1 };
  for (const page of stored.pages) {
    layout.order.push(page.label === undefined ? { number: page.number } : { number: page.number, label: page.label });
    layout.entries++;
    if (page.damaged) continue;
    // White space is all in the Basic Multilingual Plane: a tail's UTF-16 length is its length in characters.
    const kept: PageLayout = { number: page.number, chars: page.chars + (page.tail?.length ?? 0), fileChars: page.chars, byteStart: page.byteStart, byteEnd: page.byteEnd };
    if (page.tail !== undefined) kept.tail = page.tail;
    if (page.label !== undefined) kept.label = page.label;
    if (page.checkpoints) {
      kept.checkpoints = page.checkpoints;
      layout.entries += page.checkpoints.length;
    }
    layout.pages.set(page.number, kept);
  }
  return layout;
}

/**
 * Layouts of document files, kept across requests. One instance per open library. Reads are
 * synchronous: a read opens the file, checks it is still the version whose layout it holds, and
 * reads only the window's bytes; only a background scan reads a whole file.
 */
export class DocumentFileWindows {
  private readonly layouts = new Map<string, FileLayout>();
  private entries = 0;
  /** Layouts scanned in the background and not yet taken up by a read, by file. */
  private readonly scanned = new Map<string, StoredLayout>();
  /** Files waiting for a background scan or being scanned, with when that scan ends. */
  private readonly queued = new Map<string, Promise<void>>();
  private queue: Promise<void> = Promise.resolve();
  private closed = false;
  /** Background scans done, for tests that a read does bounded work. */
  scans = 0;
  /** Stored layouts loaded. */
  loads = 0;
  /** Layouts found from the file alone compared with the index. */
  checks = 0;
  /** Bytes read from document files, scans included. */
  bytesRead = 0;

  private readonly dir: DataDir | undefined;
  private readonly maxEntries: number;

  /** With `dir`, a layout found by a background scan is stored for the next start (see layout-files.ts). */
  constructor(options: { dir?: DataDir; maxEntries?: number } = {}) {
    this.dir = options.dir;
    this.maxEntries = options.maxEntries ?? CACHED_ENTRIES;
  }

  /**
   * `length` characters of page `number` from `start`, with the page's length, or undefined when
   * the file cannot serve that page (missing, another version than the index's, a page whose text
   * the file holds differently, a layout not found yet).
   */
  slice(target: DocumentFileTarget, version: IndexedVersion, number: number, start: number, length: number): { chars: number; label?: string; text: string } | undefined {
    return this.withLayout(target, version, (fd, layout) => {
      const page = layout.pages.get(number);
      if (!page) return undefined;
      const text = this.readChars(fd, page, Math.min(start, page.chars), Math.max(0, Math.min(length, page.chars - start)));
      return page.label === undefined ? { chars: page.chars, text } : { chars: page.chars, label: page.label, text };
    });
  }

  /** Every page's number, label and length, when the file can serve every page. */
  pageLengths(target: DocumentFileTarget, version: IndexedVersion): { number: number; label?: string; chars: number }[] | undefined {
    return this.withLayout(target, version, (_fd, layout) => {
      const lengths = [];
      for (const { number } of layout.order) {
        const page = layout.pages.get(number);
        if (!page) return undefined;
        lengths.push(page.label === undefined ? { number, chars: page.chars } : { number, label: page.label, chars: page.chars });
      }
      return lengths;
    });
  }

  /**
   * Resolves once the file's layout is in memory (loaded, or scanned in the background), or after
   * `waitMs` at most, when reads fall back to the index: a request awaits this before its
   * synchronous read so that it waits for the scan without holding up other requests.
   */
  async ready(target: DocumentFileTarget, version: IndexedVersion, waitMs: number): Promise<void> {
    let fd: number;
    try {
      fd = fs.openSync(target.file, 'r');
    } catch {
      return;
    }
    try {
      if (this.layoutOf(fd, target, version)) return;
    } finally {
      fs.closeSync(fd);
    }
    const scan = this.queued.get(target.file);
    if (!scan) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([scan, new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    })]);
    clearTimeout(timer);
  }

  /** Resolves once no background scan is queued or running. */
  async settled(): Promise<void> {
    while (this.queued.size > 0) await this.queue;
  }

  /** Drops every layout (a library that closes) and stops the background scans. */
  async close(): Promise<void> {
    this.closed = true;
    await this.settled();
    this.clear();
  }

  /** Drops every layout kept in memory. */
  clear(): void {
    this.layouts.clear();
    this.scanned.clear();
    this.entries = 0;
  }

  private withLayout<T>(target: DocumentFileTarget, version: IndexedVersion, read: (fd: number, layout: FileLayout) => T | undefined): T | undefined {
    let fd: number;
    try {
      fd = fs.openSync(target.file, 'r');
    } catch {
      return undefined; // no file here (a scale-out replica, a document being removed): the index serves
    }
    try {
      const layout = this.layoutOf(fd, target, version);
      return layout?.servable ? read(fd, layout) : undefined;
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The layout of the open file `fd` for the index's version, or undefined (a scan is then queued). */
  private layoutOf(fd: number, target: DocumentFileTarget, version: IndexedVersion): FileLayout | undefined {
    const identity = fileIdentity(fs.fstatSync(fd));
    const key = `${target.file}\0${version.markdownHash}`;
    let layout = this.layouts.get(key);
    if (layout && layout.identity !== identity) {
      this.forget(key);
      layout = undefined;
    }
    if (layout) {
      // Most recently used last, so eviction takes the oldest.
      this.layouts.delete(key);
      this.layouts.set(key, layout);
      return layout;
    }
    let stored = this.storedLayout(target, identity);
    if (!stored) {
      this.scanLater(target, identity, version);
      return undefined;
    }
    if (!stored.usable || stored.markdownHash !== version.markdownHash) {
      stored = { ...stored, usable: false }; // another version of the file than the index's: nothing is served from it
    } else if (!stored.checked) {
      // Found from the file alone (written before layouts were stored, or lost): compared with the
      // index once, which reads the index's page sizes, and stored so no later start does it again.
      this.checks++;
      stored = { ...checkAgainstIndex(stored, version.pageBytes()), identity };
      if (this.dir && target.layout) writeLayoutFile(this.dir, target.layout, stored);
    }
    layout = layoutFor(stored);
    this.remember(key, layout);
    return layout;
  }

  /** The layout of the file as it is now: scanned in the background, or stored when it was written. */
  private storedLayout(target: DocumentFileTarget, identity: string): StoredLayout | undefined {
    const scanned = this.scanned.get(target.file);
    if (scanned?.identity === identity) {
      this.scanned.delete(target.file); // kept from now on with the other layouts
      return scanned;
    }
    if (!target.layout) return undefined;
    const stored = readLayoutFile(target.layout);
    if (!stored) return undefined;
    this.loads++;
    return stored.identity === identity ? stored : undefined;
  }

  private scanLater(target: DocumentFileTarget, identity: string, version: IndexedVersion): void {
    if (this.closed || this.queued.has(target.file) || this.queued.size >= QUEUED_SCANS) return;
    this.queue = this.queue
      .then(() => this.scan(target, identity, version))
      .catch(() => undefined) // a file removed or replaced meanwhile: the next read asks again
      .finally(() => this.queued.delete(target.file));
    this.queued.set(target.file, this.queue);
  }

  /**
   * Scans the file a piece per turn of the event loop and keeps its layout, if the file is still
   * the one the read saw, and is not changed while it is scanned; then checks it against the
   * index's page sizes on another thread where it can.
   */
  private async scan(target: DocumentFileTarget, identity: string, version: IndexedVersion): Promise<void> {
    if (this.closed) return;
    const handle = await fsp.open(target.file, 'r');
    let stored: StoredLayout;
    try {
      if (fileIdentity(await handle.stat()) !== identity) return;
      this.scans++;
      const scanner = new LayoutScanner();
      const buffer = Buffer.allocUnsafe(SCAN_BYTES);
      for (;;) {
        if (this.closed) return;
        const { bytesRead } = await handle.read(buffer, 0, SCAN_BYTES, scanner.bytes);
        if (bytesRead === 0) break;
        this.bytesRead += bytesRead;
        scanner.feed(buffer.subarray(0, bytesRead));
      }
      if (fileIdentity(await handle.stat()) !== identity) return;
      stored = { ...scanner.finish(), identity };
    } finally {
      await handle.close();
    }
    if (stored.usable && stored.markdownHash === version.markdownHash && version.pageBytesOffThread) {
      const fileBytes = new Map(stored.pages.map((p) => [p.number, p.byteEnd - p.byteStart]));
      // White space is one to three bytes a character in UTF-8.
      const indexed = await version.pageBytesOffThread(fileBytes, MAX_TAIL_CHARS * 3).catch(() => undefined);
      // Only against rows of the same pages: a document re-indexed meanwhile is checked by its next read instead.
      const same = indexed?.length === stored.pages.length && indexed.every((p, i) => p.number === stored.pages[i]!.number);
      if (indexed && same) stored = { ...checkAgainstIndex(stored, indexed), identity };
    }
    if (this.closed) return;
    this.scanned.delete(target.file);
    this.scanned.set(target.file, stored);
    for (const oldest of this.scanned.keys()) {
      if (this.scanned.size <= QUEUED_SCANS) break;
      this.scanned.delete(oldest);
    }
    if (this.dir && target.layout) writeLayoutFile(this.dir, target.layout, stored);
  }

  private remember(key: string, layout: FileLayout): void {
    if (layout.entries > this.maxEntries) return; // too big to keep: every read loads it again
    this.layouts.set(key, layout);
    this.entries += layout.entries;
    for (const oldest of this.layouts.keys()) {
      if (this.entries <= this.maxEntries) break;
      this.forget(oldest);
    }
  }

  private forget(key: string): void {
    const layout = this.layouts.get(key);
    if (!layout) return;
    this.layouts.delete(key);
    this.entries -= layout.entries;
  }

  /** The characters [start, start + length) of a page: from its file, then from its tail. */
  private readChars(fd: number, page: PageLayout, start: number, length: number): string {
    const fromFile = Math.max(0, Math.min(start + length, page.fileChars) - start);
    const text = fromFile > 0 ? this.readFileChars(fd, page, start, fromFile) : '';
    if (!page.tail || start + length <= page.fileChars) return text;
    return text + page.tail.slice(Math.max(0, start - page.fileChars), start + length - page.fileChars);
  }

  /** The characters [start, start + length) of a page's text in its file, decoding from the checkpoint at or before `start`. */
  private readFileChars(fd: number, page: PageLayout, start: number, length: number): string {
    if (length === 0) return '';
    if (!page.checkpoints) return this.read(fd, page.byteStart + start, length).toString('latin1');
    const checkpoint = Math.floor(start / CHECKPOINT_CHARS);
    const from = page.byteStart + page.checkpoints[checkpoint]!;
    // A character is at most 4 bytes: this many bytes hold the skipped characters and the window.
    const bytes = this.read(fd, from, Math.min(page.byteEnd - from, (start - checkpoint * CHECKPOINT_CHARS + length) * 4));
    const skip = start - checkpoint * CHECKPOINT_CHARS;
    let at = 0;
    let chars = 0;
    let begin = -1;
    for (; at < bytes.length; at++) {
      if ((bytes[at]! & 0xc0) === 0x80) continue;
      if (chars === skip) begin = at;
      if (chars === skip + length) break;
      chars++;
    }
    return begin < 0 ? '' : bytes.subarray(begin, at).toString('utf8');
  }

  private read(fd: number, position: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const n = fs.readSync(fd, buffer, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    this.bytesRead += done;
    return buffer.subarray(0, done);
  }

}
