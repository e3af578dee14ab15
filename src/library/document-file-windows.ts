/**
 * Windows of a document file's pages read at byte offsets, so that reading part of a page of tens
 * of MB costs the window, not the page. A file is scanned once per version to find where each
 * page's text starts and ends and, every CHECKPOINT_CHARS characters, at which byte; these layouts
 * are kept for a bounded number of entries (least recently used first out). Positions count
 * characters (Unicode code points), as the index's do.
 *
 * A page is read from the file only where the file's bytes are exactly the index's text: the file
 * must hash to the Markdown hash the index was built from, and a page whose text differs from its
 * file lines (an escaped page-marker look-alike, trailing space the index kept) is left out, for
 * the caller to read from the index instead.
 */

import { createHash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { parsePageMarker } from './document-file.js';

/** Characters between two checkpoints: a window read decodes at most this much before its start. */
export const CHECKPOINT_CHARS = 16_384;
const SCAN_BYTES = 1 << 20;
/** Bytes checked at once for the scan's fast path (ASCII with no line that may be a marker). */
const FAST_BLOCK = 64 * 1024;
/** A marker line is short; one longer than this is not read as a marker, and the file is not used. */
const MARKER_LINE_BYTES = 4096;
/** Layout entries (pages and checkpoints) kept in all; a document's layout is about pages + chars / CHECKPOINT_CHARS. */
const CACHED_ENTRIES = 1_000_000;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const LESS_THAN = 0x3c;

export interface PageLayout {
  number: number;
  label?: string;
  /** Characters of the page's text. */
  chars: number;
  /** Byte range of the text in the file. */
  byteStart: number;
  byteEnd: number;
  /** Byte offset (from byteStart) of character k × CHECKPOINT_CHARS; absent when every character is one byte. */
  checkpoints?: number[];
}

export interface FileLayout {
  /** Pages the file can serve, by number. */
  pages: Map<number, PageLayout>;
  /** Every page marker in file order, with the page's length in characters (as the file holds it). */
  order: { number: number; label?: string }[];
  /** The file's identity when scanned: device, inode, size and modification time. */
  identity: string;
  entries: number;
}

/** What the index says of the document: the hash of the file it was built from, and each page's length. */
export interface IndexedVersion {
  markdownHash: string;
  pageLengths: () => { number: number; chars: number }[];
}

interface ScannedPage extends PageLayout {
  checkpointList: number[];
  ascii: boolean;
  /** The file holds this page's text differently from the index (see the module comment). */
  damaged: boolean;
}

const MARKER_LINE_START = Buffer.from('\n<');
const ESCAPE_LINE_START = Buffer.from('\n\\');

/**
 * Whether bytes [from, to) are ASCII with no line starting with `<` (a page marker) or `\\` (an
 * escaped look-alike) inside, so that every byte is one character and no line needs reading.
 */
function asciiProse(buffer: Buffer, from: number, to: number, startsLine: boolean): boolean {
  if (startsLine && (buffer[from] === LESS_THAN || buffer[from] === BACKSLASH)) return false;
  const block = buffer.subarray(from, to);
  return isAscii(block) && block.indexOf(MARKER_LINE_START) < 0 && block.indexOf(ESCAPE_LINE_START) < 0;
}

/** The page marker a line's first bytes make, or 'too long' for a marker-like line past the limit. */
function markerOf(head: number[]): ReturnType<typeof parsePageMarker> | 'too long' {
  const line = Buffer.from(head).toString('utf8');
  if (head.length > MARKER_LINE_BYTES) return line.startsWith('<!-- page ') ? 'too long' : undefined;
  return parsePageMarker(line);
}

const identityOf = (stat: fs.Stats) => `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}`;

/**
 * Layouts of document files, kept across requests. One instance per open library; every method is
 * synchronous, and a read opens the file, checks it is still the version scanned, and reads only
 * the window's bytes.
 */
export class DocumentFileWindows {
  private readonly layouts = new Map<string, FileLayout>();
  private entries = 0;
  /** Layout scans done, for tests that a window read does bounded work. */
  scans = 0;
  /** Bytes read from document files, scans included. */
  bytesRead = 0;

  constructor(private readonly maxEntries = CACHED_ENTRIES) {}

  /**
   * `length` characters of page `number` from `start`, with the page's length, or undefined when
   * the file cannot serve that page (missing, another version than the index's, a page whose text
   * the file holds differently).
   */
  slice(file: string, version: IndexedVersion, number: number, start: number, length: number): { chars: number; label?: string; text: string } | undefined {
    return this.withLayout(file, version, (fd, layout) => {
      const page = layout.pages.get(number);
      if (!page) return undefined;
      const text = this.readChars(fd, page, Math.min(start, page.chars), Math.max(0, Math.min(length, page.chars - start)));
      return page.label === undefined ? { chars: page.chars, text } : { chars: page.chars, label: page.label, text };
    });
  }

  /** Every page's number, label and length, when the file can serve every page. */
  pageLengths(file: string, version: IndexedVersion): { number: number; label?: string; chars: number }[] | undefined {
    return this.withLayout(file, version, (_fd, layout) => {
      const lengths = [];
      for (const { number } of layout.order) {
        const page = layout.pages.get(number);
        if (!page) return undefined;
        lengths.push(page.label === undefined ? { number, chars: page.chars } : { number, label: page.label, chars: page.chars });
      }
      return lengths;
    });
  }

  /** Drops every layout (a library that closes). */
  clear(): void {
    this.layouts.clear();
    this.entries = 0;
  }

  private withLayout<T>(file: string, version: IndexedVersion, read: (fd: number, layout: FileLayout) => T | undefined): T | undefined {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return undefined; // no file here (a scale-out replica, a document being removed): the index serves
    }
    try {
      const identity = identityOf(fs.fstatSync(fd));
      const key = `${file}\0${version.markdownHash}`;
      let layout = this.layouts.get(key);
      if (layout && layout.identity !== identity) {
        this.forget(key);
        layout = undefined;
      }
      if (!layout) {
        const scanned = this.scan(fd, identity, version);
        if (!scanned) return undefined;
        layout = scanned;
        this.remember(key, layout);
      } else {
        // Most recently used last, so eviction takes the oldest.
        this.layouts.delete(key);
        this.layouts.set(key, layout);
      }
      return read(fd, layout);
    } finally {
      fs.closeSync(fd);
    }
  }

  private remember(key: string, layout: FileLayout): void {
    if (layout.entries > this.maxEntries) return; // too big to keep: every read rescans it, as the index would re-read it
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

  /** The characters [start, start + length) of a page, decoding from the checkpoint at or before `start`. */
  private readChars(fd: number, page: PageLayout, start: number, length: number): string {
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

  /**
   * One pass over the file: its hash, its page markers, and for each page its character count and
   * checkpoints. Undefined when the file is not the version the index was built from, or cannot be
   * read as one.
   */
  private scan(fd: number, identity: string, version: IndexedVersion): FileLayout | undefined {
    this.scans++;
    const hash = createHash('sha256');
    const pages: ScannedPage[] = [];
    let current: ScannedPage | undefined;
    let position = 0; // file offset of buffer[0]
    let lineStart = 0; // file offset of the line being read
    let charsAtLineStart = 0; // of the current page, so a marker line is not counted in it
    let lastLineEmpty = false;
    let head: number[] | undefined; // first bytes of a line that may be a marker or an escaped look-alike
    let broken = false;
    const buffer = Buffer.allocUnsafe(SCAN_BYTES);
    const onLineEnd = (end: number) => {
      const marker = head?.[0] === LESS_THAN ? markerOf(head) : undefined;
      if (marker === 'too long') broken = true;
      else if (marker) {
        if (current) {
          // The text is followed by "\n\n" (its last line end and a blank line) before the next marker.
          current.byteEnd = lineStart - 2;
          current.chars = charsAtLineStart - 2;
          if (!lastLineEmpty) current.damaged = true;
          pages.push(current);
        }
        current = { number: marker.number, chars: 0, byteStart: end + 1, byteEnd: 0, checkpointList: [0], ascii: true, damaged: false };
        if (marker.label !== undefined) current.label = marker.label;
      } else if (head?.[0] === BACKSLASH && current && /^\\+<!-- page /.test(Buffer.from(head).toString('utf8'))) {
        current.damaged = true; // its file line has one more backslash than its text
      }
      lastLineEmpty = end === lineStart;
      lineStart = end + 1;
      if (current) charsAtLineStart = current.chars;
      head = undefined;
    };
    for (;;) {
      const n = fs.readSync(fd, buffer, 0, SCAN_BYTES, position);
      if (n === 0) break;
      this.bytesRead += n;
      hash.update(buffer.subarray(0, n));
      for (let i = 0; i < n;) {
        const blockEnd = Math.min(n, i + FAST_BLOCK);
        // Most of a page is plain ASCII prose: a block with no marker-like line start is counted whole.
        if (current && !head && asciiProse(buffer, i, blockEnd, position + i === lineStart)) {
          const length = blockEnd - i;
          for (let k = current.checkpointList.length; k * CHECKPOINT_CHARS < current.chars + length; k++) {
            current.checkpointList.push(position + i + (k * CHECKPOINT_CHARS - current.chars) - current.byteStart);
          }
          const lastNewline = buffer.lastIndexOf(NEWLINE, blockEnd - 1);
          if (lastNewline >= i) {
            lastLineEmpty = lastNewline > i ? buffer[lastNewline - 1] === NEWLINE : lineStart === position + i;
            lineStart = position + lastNewline + 1;
            charsAtLineStart = current.chars + (lastNewline + 1 - i);
          }
          current.chars += length;
          i = blockEnd;
          continue;
        }
        for (; i < blockEnd; i++) {
          const byte = buffer[i]!;
          const at = position + i;
          if (at === lineStart) head = byte === LESS_THAN || byte === BACKSLASH ? [] : undefined;
          if (head && head.length <= MARKER_LINE_BYTES && byte !== NEWLINE) head.push(byte);
          if (current && (byte & 0xc0) !== 0x80) {
            if (byte >= 0x80) current.ascii = false;
            if (current.chars === current.checkpointList.length * CHECKPOINT_CHARS) current.checkpointList.push(at - current.byteStart);
            current.chars++;
          }
          if (byte === NEWLINE) onLineEnd(at);
        }
      }
      position += n;
    }
    if (broken || hash.digest('hex') !== version.markdownHash) return undefined;
    if (current) {
      // The last page's text is followed by the file's last "\n" (serialized lines end with a blank one).
      if (lineStart !== position) current.damaged = true;
      current.byteEnd = position - 1;
      current.chars -= 1;
      pages.push(current);
    }
    const indexed = new Map(version.pageLengths().map((p) => [p.number, p.chars]));
    const layout: FileLayout = { pages: new Map(), order: [], identity, entries: 0 };
    for (const page of pages) {
      layout.order.push(page.label === undefined ? { number: page.number } : { number: page.number, label: page.label });
      layout.entries++;
      // The index's text must be the file's: same length (trailing space trimmed alike), no escapes.
      if (page.damaged || page.chars < 0 || indexed.get(page.number) !== page.chars) continue;
      const { checkpointList, ascii, damaged: _damaged, ...plain } = page;
      const kept: PageLayout = { ...plain };
      if (!ascii) {
        kept.checkpoints = checkpointList;
        layout.entries += checkpointList.length;
      }
      layout.pages.set(page.number, kept);
    }
    return layout;
  }
}
