import type { Chunk, DocumentKey, Page } from '../../library/model.js';
import { chunkIdOf } from '../../library/ids.js';
import { isTableCaption } from './captions.js';
import { parseBlocks, type Block } from './markdown-blocks.js';
import { estimateTokens } from './tokens.js';
import { LIMITS } from '../../library/limits.js';

export interface ChunkingOptions {
  /** A chunk is closed once adding the next block would pass this size. */
  targetTokens: number;
  /** No chunk is larger than this; oversized blocks are split at sentence, then word, boundaries. */
  maxTokens: number;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { targetTokens: 320, maxTokens: 480 };

interface Draft {
  lines: string[];
  tokens: number;
  contentTokens: number;
  page: number;
  pageEnd: number;
  headingPath: string[] | undefined;
  lastKind: Block['kind'] | undefined;
  lastText: string;
  /** Page the last line came from. */
  lastPage: number;
}

/**
 * Cuts a document into page-aware, heading-aware chunks. Chunks never straddle a page boundary,
 * except that a paragraph running from the bottom of one page onto the next stays whole, and a
 * table caption at the bottom of a page goes with its table at the top of the next. A table's
 * caption is always in the table's (first) chunk. The output is a pure function of the pages,
 * which is what keeps chunk ids stable.
 */
export function chunkDocument(key: DocumentKey, pages: Page[], options: ChunkingOptions = DEFAULT_CHUNKING): Chunk[] {
  const chunks: Chunk[] = [];
  const labels = new Map(pages.map((p) => [p.number, p.label]));
  const headings: { level: number; text: string }[] = [];
  let draft: Draft | undefined;

  const startDraft = (page: number): Draft => ({
    lines: [], tokens: 0, contentTokens: 0, page, pageEnd: page, headingPath: undefined, lastKind: undefined, lastText: '', lastPage: page,
  });
  /**
   * Headings alone carry over to the next chunk. At the end of the document they are dropped (empty
   * sections: 1,180 IIS pages end in the tab headings "C#, VB.NET, JavaScript, VBScript" of code
   * samples they do not hold), unless the document holds nothing else: then they are its one chunk,
   * or its words could not be found at all.
   */
  const flush = (last = false) => {
    if (!draft || draft.lines.length === 0 || (draft.contentTokens === 0 && !(last && chunks.length === 0))) return;
    const text = draft.lines.join('\n\n');
    const chunk: Chunk = {
      id: chunkIdOf(key, chunks.length),
      ordinal: chunks.length,
      page: draft.page,
      pageEnd: draft.pageEnd,
      headingPath: draft.headingPath ?? headings.map((h) => h.text),
      text,
      tokenCount: estimateTokens(text),
    };
    const label = labels.get(draft.page);
    if (label !== undefined) chunk.pageLabel = label;
    chunks.push(chunk);
    draft = undefined;
  };
  const push = (page: number, kind: Block['kind'], text: string, tokens: number) => {
    draft ??= startDraft(page);
    if (kind !== 'heading') {
      draft.headingPath ??= headings.map((h) => h.text);
      draft.contentTokens += tokens;
    }
    draft.lines.push(text);
    draft.tokens += tokens;
    draft.pageEnd = Math.max(draft.pageEnd, page);
    draft.lastKind = kind;
    draft.lastText = text;
    draft.lastPage = page;
  };
  const endsWithCaption = () => draft !== undefined && draft.lastKind === 'paragraph' && isTableCaption(draft.lastText);
  /** Closes the draft but for its last line, a table caption, which starts the next one. */
  const flushBeforeCaption = () => {
    const caption = { text: draft!.lastText, page: draft!.lastPage, tokens: estimateTokens(draft!.lastText) };
    draft!.lines.pop();
    draft!.tokens -= caption.tokens;
    draft!.contentTokens -= caption.tokens;
    flush();
    if (draft && draft.contentTokens === 0) draft.page = caption.page; // only headings are left
    push(caption.page, 'paragraph', caption.text, caption.tokens);
  };
  const add = (page: number, kind: Block['kind'], text: string, tokens: number) => {
    if (draft && draft.contentTokens > 0 && kind !== 'heading' && draft.tokens + tokens > options.targetTokens) {
      if (kind === 'table' && endsWithCaption()) flushBeforeCaption();
      else flush();
    }
    push(page, kind, text, tokens);
  };

  for (const page of pages) {
    const blocks = parseBlocks(page.markdown);
    let first = true;
    for (const block of blocks) {
      if (first && draft && continuesParagraph(draft, block)) {
        // The paragraph runs over the page break: keep it whole in the previous page's chunk,
        // unless it is itself oversized: then only its first piece joins, so no chunk is unbounded.
        const [head = '', ...rest] = splitToFit(block.text, options.maxTokens);
        draft.lines[draft.lines.length - 1] = `${draft.lastText} ${head}`;
        draft.lastText = draft.lines[draft.lines.length - 1]!;
        const tokens = estimateTokens(head);
        draft.tokens += tokens;
        draft.contentTokens += tokens;
        draft.pageEnd = page.number;
        flush(); // the rest of this page starts its own chunk
        first = false;
        for (const piece of rest) add(page.number, block.kind, piece, estimateTokens(piece));
        continue;
      }
      if (first) {
        first = false;
        if (block.kind === 'table' && endsWithCaption()) {
          // The caption at the bottom of the previous page goes with its table.
          if (draft!.lines.length > 1) flushBeforeCaption();
        } else {
          if (draft && draft.contentTokens > 0) flush();
          if (draft) draft.page = draft.pageEnd = page.number; // carried-over headings move to this page
        }
      }
      if (block.kind === 'heading' && block.text.length <= LIMITS.headingChars) {
        flush();
        while (headings.length > 0 && headings[headings.length - 1]!.level >= block.level) headings.pop();
        headings.push({ level: block.level, text: block.text });
        add(page.number, 'heading', `${'#'.repeat(block.level)} ${block.text}`, estimateTokens(block.text));
        continue;
      }
      // A "heading" line too long to be one (a whole paragraph after a '#') is text, split like text.
      const text = block.kind === 'heading' ? `${'#'.repeat(block.level)} ${block.text}` : block.text;
      const kind = block.kind === 'heading' ? 'paragraph' : block.kind;
      // Headings waiting for their first paragraph share its chunk, so they count against its size
      // (five stacked headings over an oversized paragraph made a chunk past the limit); so does
      // a table's caption.
      const caption = kind === 'table' && endsWithCaption() ? estimateTokens(draft!.lastText) : 0;
      const waiting = draft && draft.contentTokens - caption === 0 ? estimateTokens(draft.lines.join('\n\n')) : caption;
      for (const piece of splitToFit(text, Math.max(options.maxTokens - waiting, options.maxTokens / 2))) {
        add(page.number, kind, piece, estimateTokens(piece));
      }
    }
  }
  flush(true);
  return chunks;
}

function continuesParagraph(draft: Draft, block: Block): boolean {
  return (
    draft.contentTokens > 0 &&
    draft.lastKind === 'paragraph' &&
    block.kind === 'paragraph' &&
    !/[.!?:;)\]"”]$/.test(draft.lastText.trimEnd()) &&
    /^[a-z(]/.test(block.text)
  );
}

/** Splits text that is over the limit at sentence ends, falling back to word boundaries. */
export function splitToFit(text: string, maxTokens: number): string[] {
  if (estimateTokens(text) <= maxTokens) return [text];
  const pieces: string[] = [];
  let current = '';
  const units = text.match(/[^.!?\n]+(?:[.!?]+|\n|$)\s*/g) ?? [text];
  for (const unit of units.flatMap((u) => (estimateTokens(u) > maxTokens ? splitWords(u, maxTokens) : [u]))) {
    if (current && estimateTokens(current + unit) > maxTokens) {
      pieces.push(current.trim());
      current = '';
    }
    current += unit;
  }
  if (current.trim()) pieces.push(current.trim());
  return pieces;
}

function splitWords(text: string, maxTokens: number): string[] {
  const pieces: string[] = [];
  let current: string[] = [];
  let tokens = 0;
  for (const word of text.split(/\s+/).flatMap((w) => (estimateTokens(w) > maxTokens ? splitLongWord(w, maxTokens) : [w]))) {
    const t = estimateTokens(word);
    if (current.length > 0 && tokens + t > maxTokens) {
      pieces.push(current.join(' ') + ' ');
      current = [];
      tokens = 0;
    }
    current.push(word);
    tokens += t;
  }
  if (current.length > 0) pieces.push(current.join(' ') + ' ');
  return pieces;
}

/**
 * A "word" too long for one chunk (a base64 blob, a minified line, megabytes without a space) cut
 * into pieces that fit: as many characters as the estimate allows for letters, fewer where it is
 * punctuation, never inside a surrogate pair. Without it one such word was one chunk of megabytes.
 */
function splitLongWord(word: string, maxTokens: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < word.length;) {
    let end = Math.min(word.length, at + maxTokens * 6);
    // Each character counts for at most one token, so maxTokens characters always fit.
    if (estimateTokens(word.slice(at, end)) > maxTokens) end = Math.min(word.length, at + maxTokens);
    if (end < word.length && (word.charCodeAt(end - 1) & 0xfc00) === 0xd800) end--;
    pieces.push(word.slice(at, end));
    at = end;
  }
  return pieces;
}
