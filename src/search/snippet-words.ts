import { isAscii } from '../analysis/analyzer.js';
import { analyzedWord } from './weighted-query.js';

/**
 * The words of a snippet's plain text that analyse to a query term, as [start, end) character
 * ranges. Most words are ruled out by their first two characters, without analysing them or
 * looking them up: stemming changes a word's ending, so an ASCII word's analysed term starts with
 * those characters in lower case, except that a second "y" may become "i" ("eyed" → "ei") and a
 * term may be a single letter ("ies" → "i", which keeps the first). The test checks this over
 * every two letters followed by the endings stemming rewrites, and over the corpus's words.
 */
export function matchedWords(plain: string, queryTokens: ReadonlySet<string>): [number, number][] {
  const filter = new FirstLetters(queryTokens);
  const matches: [number, number][] = [];
  const visit = (start: number, end: number) => {
    if (!filter.mayMatch(plain, start, end)) return;
    const token = analyzedWord(plain.slice(start, end))[0];
    if (token !== undefined && queryTokens.has(token)) matches.push([start, end]);
  };
  if (!isAscii(plain)) {
    // Text outside ASCII (a table's cells joined by " · " is enough) is scanned the same way, code
    // point by code point; only a character outside ASCII asks the Unicode classes. Matching /[\p{L}\p{N}]+/gu
    // over it cost twice as much.
    const n = plain.length;
    let i = 0;
    while (i < n) {
      let width = wordCharWidth(plain, i);
      if (width === 0) {
        i++; // the second half of a pair that is no letter is no letter on its own either
        continue;
      }
      const start = i;
      do i += width;
      while (i < n && (width = wordCharWidth(plain, i)) > 0);
      visit(start, i);
    }
  } else {
    // ASCII text: a word's letters and digits are [A-Za-z0-9], scanned without a match object per word.
    const n = plain.length;
    let i = 0;
    while (i < n) {
      if (!isAsciiWordChar(plain.charCodeAt(i))) {
        i++;
        continue;
      }
      const start = i;
      do i++;
      while (i < n && isAsciiWordChar(plain.charCodeAt(i)));
      visit(start, i);
    }
  }
  return matches;
}

/** A letter or digit, one code point: a word is a run of them (/[\p{L}\p{N}]+/u). */
const WORD_CHAR = /^[\p{L}\p{N}]$/u;

/**
 * How many code units the letter or digit at `i` takes (a character outside the Basic Multilingual
 * Plane takes two), or 0 when the code point there is neither. A lone surrogate is neither.
 */
function wordCharWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) return isAsciiWordChar(c) ? 1 : 0;
  const point = text.codePointAt(i)!;
  return WORD_CHAR.test(String.fromCodePoint(point)) ? (point > 0xffff ? 2 : 1) : 0;
}
const Y = 121;
const I = 105;

function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
}

/** ASCII upper case to lower case; other codes unchanged. */
function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** The first characters of the query's terms: what a word must start with to analyse to one of them. */
class FirstLetters {
  /** First characters (ASCII) of every term. */
  private readonly firsts = new Uint8Array(128);
  /** First characters of one-letter terms: any word starting with one may analyse to it. */
  private readonly singles = new Uint8Array(128);
  /** First two characters (both ASCII) of longer terms, as first × 128 + second. */
  private readonly pairs = new Set<number>();

  constructor(tokens: ReadonlySet<string>) {
    for (const token of tokens) {
      const first = token.charCodeAt(0);
      if (first >= 0x80) continue; // an ASCII word never analyses to it; other words are analysed
      this.firsts[first] = 1;
      if (token.length === 1) this.singles[first] = 1;
      else if (token.charCodeAt(1) < 0x80) this.pairs.add(first * 128 + token.charCodeAt(1));
      else this.singles[first] = 1; // a second character outside ASCII: judged by the first alone
    }
  }

  /** False only when the word [start, end) of `text` cannot analyse to a query term. */
  mayMatch(text: string, start: number, end: number): boolean {
    const first = text.charCodeAt(start);
    if (first >= 0x80) return true;
    const l0 = lower(first);
    if (this.firsts[l0] === 0) return false;
    if (end - start < 2 || this.singles[l0] === 1) return true;
    const second = text.charCodeAt(start + 1);
    if (second >= 0x80) return true;
    const l1 = lower(second);
    return this.pairs.has(l0 * 128 + l1) || (l1 === Y && this.pairs.has(l0 * 128 + I));
  }
}
