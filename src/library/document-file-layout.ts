/**
 * The layout of a document file: where each page's text starts and ends in bytes, its length in
 * characters (Unicode code points, as the index counts them) and, for a page that is not all
 * ASCII, at which byte every CHECKPOINT_CHARS-th character starts. It is a pure function of the
 * file's bytes, found in one pass (`LayoutScanner`) that can be fed a piece at a time, so that it
 * runs where the bytes already are: when a document file is written, or in the background from
 * the file (see document-file-windows.ts). A file with a marker-like line too long to read as a
 * marker is unusable: no page is served from it.
 */

import { createHash, type Hash } from 'node:crypto';
import { isAscii } from 'node:buffer';
import { parsePageMarker } from './document-file.js';

/** Characters between two checkpoints: a window read decodes at most this much before its start. */
export const CHECKPOINT_CHARS = 16_384;
/** Bytes checked at once for the scan's fast path (ASCII with no line that may be a marker). */
const FAST_BLOCK = 64 * 1024;
/** A marker line is short; one longer than this is not read as a marker, and the file is not used. */
const MARKER_LINE_BYTES = 4096;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const LESS_THAN = 0x3c;

export interface ScannedPage {
  number: number;
  label?: string;
  /** Characters of the page's text as the file holds it. */
  chars: number;
  /** Byte range [byteStart, byteEnd) of the text in the file. */
  byteStart: number;
  byteEnd: number;
  /** Byte offset (from byteStart) of character k × CHECKPOINT_CHARS; absent when every character is one byte. */
  checkpoints?: number[];
  /** The file holds this page's text differently from the text it was written from (an escaped marker look-alike, a missing blank line). */
  damaged: boolean;
  /**
   * Trailing white space the index holds after the page's text and the file does not (pages are
   * written trimmed): the page's text as the index holds it is the file's, then this.
   */
  tail?: string;
}

/** Longest trailing white space a layout carries for a page; a page whose index text has more is read from the index. */
export const MAX_TAIL_CHARS = 64;

export interface ScannedLayout {
  /** sha256 of the file's bytes. */
  markdownHash: string;
  /** Bytes in the file. */
  size: number;
  /** False for a file that cannot be read by its markers (see the module comment): no page is served from it. */
  usable: boolean;
  /**
   * True when the pages were compared with the text the index holds (see `checkAgainstIndex`), so
   * that a page not `damaged` is exactly the index's text; false for a layout found from the file
   * alone, which a reader compares with the index before use.
   */
  checked: boolean;
  /** Every page marker's page, in file order. */
  pages: ScannedPage[];
}

interface OpenPage extends ScannedPage {
  checkpointList: number[];
  ascii: boolean;
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

/**
 * One pass over a document file's bytes, fed in order a piece at a time. With `hash: false` the
 * caller vouches for the bytes' hash (it is writing bytes it has hashed) and passes it to `finish`.
 */
export class LayoutScanner {
  private readonly hash: Hash | undefined;
  private readonly pages: ScannedPage[] = [];
  private current: OpenPage | undefined;
  private position = 0; // file offset of the next piece's first byte
  private lineStart = 0; // file offset of the line being read
  private charsAtLineStart = 0; // of the current page, so a marker line is not counted in it
  private lastLineEmpty = false;
  private head: number[] | undefined; // first bytes of a line that may be a marker or an escaped look-alike
  private broken = false;

  constructor(options: { hash: boolean } = { hash: true }) {
    this.hash = options.hash ? createHash('sha256') : undefined;
  }

  /** Bytes fed so far. */
  get bytes(): number {
    return this.position;
  }

  feed(buffer: Buffer): void {
    this.hash?.update(buffer);
    const n = buffer.length;
    const position = this.position;
    for (let i = 0; i < n;) {
      const blockEnd = Math.min(n, i + FAST_BLOCK);
      const current = this.current;
      // Most of a page is plain ASCII prose: a block with no marker-like line start is counted whole.
      if (current && !this.head && asciiProse(buffer, i, blockEnd, position + i === this.lineStart)) {
        const length = blockEnd - i;
        for (let k = current.checkpointList.length; k * CHECKPOINT_CHARS < current.chars + length; k++) {
          current.checkpointList.push(position + i + (k * CHECKPOINT_CHARS - current.chars) - current.byteStart);
        }
        const lastNewline = buffer.lastIndexOf(NEWLINE, blockEnd - 1);
        if (lastNewline >= i) {
          this.lastLineEmpty = lastNewline > i ? buffer[lastNewline - 1] === NEWLINE : this.lineStart === position + i;
          this.lineStart = position + lastNewline + 1;
          this.charsAtLineStart = current.chars + (lastNewline + 1 - i);
        }
        current.chars += length;
        i = blockEnd;
        continue;
      }
      for (; i < blockEnd; i++) {
        const byte = buffer[i]!;
        const at = position + i;
        if (at === this.lineStart) this.head = byte === LESS_THAN || byte === BACKSLASH ? [] : undefined;
        if (this.head && this.head.length <= MARKER_LINE_BYTES && byte !== NEWLINE) this.head.push(byte);
        const page = this.current;
        if (page && (byte & 0xc0) !== 0x80) {
          if (byte >= 0x80) page.ascii = false;
          if (page.chars === page.checkpointList.length * CHECKPOINT_CHARS) page.checkpointList.push(at - page.byteStart);
          page.chars++;
        }
        if (byte === NEWLINE) this.onLineEnd(at);
      }
    }
    this.position += n;
  }

  /** The layout of the bytes fed; `markdownHash` is required when the scanner does not hash. */
  finish(markdownHash?: string): ScannedLayout {
    const hash = this.hash ? this.hash.digest('hex') : markdownHash;
    if (hash === undefined) throw new Error('LayoutScanner.finish: a scanner that does not hash needs the bytes\' hash');
    const current = this.current;
    if (current) {
      // The last page's text is followed by the file's last "\n" (serialized lines end with a blank one).
      if (this.lineStart !== this.position) current.damaged = true;
      current.byteEnd = this.position - 1;
      current.chars -= 1;
      this.close(current);
    }
    return { markdownHash: hash, size: this.position, usable: !this.broken, checked: false, pages: this.broken ? [] : this.pages };
  }

  private onLineEnd(end: number): void {
    const head = this.head;
    const marker = head?.[0] === LESS_THAN ? markerOf(head) : undefined;
    if (marker === 'too long') this.broken = true;
    else if (marker) {
      if (this.current) {
        // The text is followed by "\n\n" (its last line end and a blank line) before the next marker.
        this.current.byteEnd = this.lineStart - 2;
        this.current.chars = this.charsAtLineStart - 2;
        if (!this.lastLineEmpty) this.current.damaged = true;
        this.close(this.current);
      }
      this.current = { number: marker.number, chars: 0, byteStart: end + 1, byteEnd: 0, checkpointList: [0], ascii: true, damaged: false };
      if (marker.label !== undefined) this.current.label = marker.label;
    } else if (head?.[0] === BACKSLASH && this.current && /^\\+<!-- page /.test(Buffer.from(head).toString('utf8'))) {
      this.current.damaged = true; // its file line has one more backslash than its text
    }
    this.lastLineEmpty = end === this.lineStart;
    this.lineStart = end + 1;
    if (this.current) this.charsAtLineStart = this.current.chars;
    this.head = undefined;
  }

  private close(page: OpenPage): void {
    const { checkpointList, ascii, ...plain } = page;
    // A page cut short of its blank line counts negative characters: it is damaged, never served.
    const kept: ScannedPage = { ...plain, chars: Math.max(0, plain.chars), byteEnd: Math.max(plain.byteStart, plain.byteEnd), damaged: plain.damaged || plain.chars < 0 };
    // Checkpoints past the text (in the blank line and marker after it) are dropped; a damaged
    // page is never read from the file, so it needs none.
    if (!ascii && !kept.damaged) kept.checkpoints = checkpointList.slice(0, Math.max(1, Math.ceil(kept.chars / CHECKPOINT_CHARS)));
    this.pages.push(kept);
  }
}

/**
 * The layout of text about to be written as a document file, whose sha256 is `markdownHash`;
 * with `indexed`, the pages the index holds for it, checked against them.
 */
export function layoutOfBytes(bytes: Buffer, markdownHash: string, indexed?: readonly { number: number; markdown: string }[]): ScannedLayout {
  const scanner = new LayoutScanner({ hash: false });
  scanner.feed(bytes);
  const layout = scanner.finish(markdownHash);
  if (!indexed) return layout;
  return checkAgainstIndex(layout, indexed.map((p) => {
    const trimmed = p.markdown.trimEnd();
    const tail = p.markdown.slice(trimmed.length);
    return { number: p.number, bytes: Buffer.byteLength(p.markdown, 'utf8'), ...(tail.length <= MAX_TAIL_CHARS ? { tail } : {}) };
  }));
}

/**
 * Marks damaged the pages whose text the index holds differently. The file is the one the index
 * was built from (same hash), so a page's text can differ only by what writing it changed: an
 * escaped marker look-alike (already marked by the scan) or trailing white space the index kept,
 * which makes its length in bytes differ. Where the index's trailing white space is known (`tail`,
 * at most MAX_TAIL_CHARS) and accounts for the difference, the page keeps it and is still served
 * from the file; otherwise it is read from the index.
 */
export function checkAgainstIndex(layout: ScannedLayout, indexed: readonly { number: number; bytes: number; tail?: string }[]): ScannedLayout {
  const byNumber = new Map(indexed.map((p) => [p.number, p]));
  const pages = layout.pages.map((page): ScannedPage => {
    const { tail: _tail, ...plain } = page;
    const index = byNumber.get(page.number);
    const fileBytes = page.byteEnd - page.byteStart;
    if (page.damaged || index?.bytes === fileBytes) return plain;
    const tail = index?.tail;
    if (index && tail !== undefined && tail.length > 0 && tail.length <= MAX_TAIL_CHARS && tail.trim() === '' && Buffer.byteLength(tail, 'utf8') === index.bytes - fileBytes) {
      return { ...plain, tail };
    }
    const { checkpoints: _checkpoints, ...rest } = plain;
    return { ...rest, damaged: true };
  });
  return { ...layout, checked: true, pages };
}
