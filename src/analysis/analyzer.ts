/**
 * The one text analyzer for indexing and querying. Text goes into FTS5 already analyzed
 * (lowercased, split, stemmed) so that the lexical ranking in `bm25.ts` sees exactly the terms
 * FTS5 stores, and so that stemming and stop words are ours to tune rather than SQLite's.
 */

import { stemmer } from 'stemmer';

const WORD = /[\p{L}\p{N}]+/gu;
/** Longest token, in characters: a longer word is indexed and searched as its first 64. */
export const MAX_TOKEN_LENGTH = 64;

/** Lucene's classic English stop set: kept in the index (phrases need them), ignored by BM25. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(' '),
);

function normalize(text: string): string {
  // ASCII is its own NFKC and NFD and holds no marks: most text and every query word read here is.
  if (isAscii(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '');
}

const NON_ASCII = /[^\x00-\x7f]/;

/** Whether the text is ASCII only: its own NFKC and NFD, with no marks, letters and digits [A-Za-z0-9]. */
export function isAscii(text: string): boolean {
  return !NON_ASCII.test(text);
}

function stem(word: string): string {
  return /^[a-z]+$/.test(word) ? stemmer(word) : word;
}

/** Analyzed tokens in order, stop words included. */
export function analyze(text: string): string[] {
  const tokens: string[] = [];
  for (const match of normalize(text).matchAll(WORD)) {
    tokens.push(stem(match[0].slice(0, MAX_TOKEN_LENGTH)));
  }
  return tokens;
}

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}
