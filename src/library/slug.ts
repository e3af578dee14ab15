/**
 * Slugs are the only thing that ever becomes part of a path or an id. They keep the letters and
 * digits of any script (so "Ørsted", "Straße", "руководство" and "ガイド" stay themselves and stay
 * apart), lowercased and normalised (NFKC, which is also NFC), and nothing else but '.', '-' and '_': no separators, no NUL, no
 * control, format or bidi characters, no leading dot, so no slug can be '.', '..' or name a path
 * outside the data directory. Characters whose compatibility form is plain ASCII fold to it, as
 * they always did ("Café" → "cafe", fullwidth "ｆｉｎｅｓｓｅ" → "finesse"), which keeps every
 * existing ASCII slug and id unchanged. A '+' or '#' right after a letter or digit is spelled
 * ("C++" → "c-plus-plus", "C#" → "c-sharp") instead of vanishing into the same slug as "C".
 */

import { createHash } from 'node:crypto';
import { LibraryError } from './errors.js';

/** Longest slug in UTF-16 code units: ids and URLs stay short, and ASCII slugs keep today's bound. */
const MAX_SLUG_UNITS = 80;
/**
 * Longest slug in UTF-8 bytes: file systems bound a name at 255 bytes, and a document's file adds
 * ".md". 80 code units are at most 240 bytes; the byte check keeps that true whatever changes.
 */
export const MAX_SLUG_BYTES = 240;
const DIGEST_LENGTH = 8;

export class InvalidLabelError extends LibraryError {
  constructor(
    readonly field: string,
    readonly value: string,
    reason: string,
  ) {
    super('invalid_input', `${field} ${JSON.stringify(value.slice(0, 100))} ${reason}`);
    this.name = 'InvalidLabelError';
  }
}

/** A base character with the combining marks that belong to it (or a run of stray marks). */
const CLUSTER = /\P{M}\p{M}*|\p{M}+/gu;
/** What a slug may hold besides '.', '-' and '_': letters and digits of any script, and marks on them. */
const KEPT = /^[\p{L}\p{N}][\p{M}]*$/u;
/** A letter or digit outside ASCII: a cluster without one folds to ASCII as slugs always did. */
const NON_ASCII_ALNUM = /(?![\x00-\x7f])[\p{L}\p{N}]/u;
const SPELLED: Readonly<Record<string, string>> = { '+': 'plus', '#': 'sharp' };

/**
 * One (lowercased, NFKC) cluster as it appears in a slug: its ASCII form where its letters and
 * digits are ASCII once accents are dropped (as slugs always were), else itself if it is a letter
 * or a digit; '-' for anything else but '.', '-', '_', '+' and '#'.
 */
function foldCluster(cluster: string): string {
  const ascii = cluster.normalize('NFKD').replace(/\p{M}/gu, '');
  if (!NON_ASCII_ALNUM.test(ascii)) return ascii.toLowerCase().replace(/[^a-z0-9._+#-]/g, '-');
  return KEPT.test(cluster) ? cluster : '-';
}

function foldOnce(label: string): string {
  return label
    // Compatibility forms fold to their ordinary letters (fullwidth Latin to ASCII, as it always
    // did; halfwidth katakana "ｶﾞ" to "ガ"; "㋀" to "1月"). NFKC output is also NFC.
    .normalize('NFKC')
    // Lowercased as a whole (toLowerCase is locale-independent), so that context matters where it
    // should: a final capital sigma becomes "ς".
    .toLowerCase()
    .normalize('NFKC')
    .replace(CLUSTER, foldCluster)
    // "c++" → "c-plus-plus": a '+' or '#' after a letter or digit carries meaning; elsewhere
    // ("#12", "a + b") it separates words, as it always did.
    .replace(/(?<=[\p{L}\p{N}\p{M}])[+#]+/gu, (run) => `-${[...run].map((c) => SPELLED[c]).join('-')}-`)
    .replace(/[+#]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-._]+|[-._]+$/g, '');
}

/**
 * Folds until nothing changes, so that a slug is its own slug: joining folded clusters can make
 * text that NFC composes differently (rare, but `isSlug` and id parsing rely on it).
 */
function fold(label: string): string {
  let current = foldOnce(label);
  for (let next = foldOnce(current); next !== current; next = foldOnce(current)) current = next;
  return current;
}

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** The longest prefix of whole clusters within both bounds. */
function prefixWithin(text: string, units: number, bytes: number): string {
  let prefix = '';
  for (const [cluster] of text.matchAll(CLUSTER)) {
    if (prefix.length + cluster.length > units || utf8Bytes(prefix + cluster) > bytes) break;
    prefix += cluster;
  }
  return prefix;
}

/** Turns a free-form label into a safe slug, or throws if nothing usable remains. */
export function slugify(label: string, field = 'label'): string {
  const folded = fold(label);
  // A long label keeps its first characters and gains a digest of the whole: cutting alone made
  // labels that differ only past the cut (long nested doc paths) collide, and one document
  // silently replaced the other.
  const fits = folded.length <= MAX_SLUG_UNITS && utf8Bytes(folded) <= MAX_SLUG_BYTES;
  if (folded === '') {
    throw new InvalidLabelError(field, label, 'has no letters or digits to make a name from; use letters, digits, ".", "-" or "_"');
  }
  if (fits) return folded;
  const digest = createHash('sha256').update(folded).digest('hex').slice(0, DIGEST_LENGTH);
  const head = prefixWithin(folded, MAX_SLUG_UNITS - DIGEST_LENGTH - 1, MAX_SLUG_BYTES - DIGEST_LENGTH - 1).replace(/[-._]+$/g, '');
  // One cluster longer than the bound (a letter under hundreds of marks) leaves only the digest.
  return head === '' ? digest : `${head}-${digest}`;
}

/** True when the string is already a slug that `slugify` would leave unchanged. */
export function isSlug(value: string): boolean {
  try {
    return slugify(value) === value;
  } catch {
    return false;
  }
}
