/**
 * Slugs are the only thing that ever becomes part of a path or an id, so they are made from a
 * closed alphabet: lowercase ASCII letters, digits, '.', '-' and '_'. Everything else — path
 * separators, NUL, look-alike Unicode, whitespace — is folded or dropped, which is what makes it
 * impossible for a label to name a path outside the data directory.
 */

import { createHash } from 'node:crypto';
import { LibraryError } from './errors.js';

const MAX_SLUG_LENGTH = 80;
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

/** Turns a free-form label into a safe slug, or throws if nothing usable remains. */
export function slugify(label: string, field = 'label'): string {
  const folded = label
    .normalize('NFKD') // splits accents off and maps compatibility forms (e.g. fullwidth) to ASCII
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-._]+|[-._]+$/g, '');
  // A long label keeps its first characters and gains a digest of the whole: cutting alone made
  // labels that differ only past the cut (long nested doc paths) collide, and one document
  // silently replaced the other.
  const slug = folded.length <= MAX_SLUG_LENGTH
    ? folded
    : `${folded.slice(0, MAX_SLUG_LENGTH - DIGEST_LENGTH - 1).replace(/[-._]+$/g, '')}-${createHash('sha256').update(folded).digest('hex').slice(0, DIGEST_LENGTH)}`;
  if (slug === '') {
    throw new InvalidLabelError(field, label, 'has no letters or digits to make a name from; use letters, digits, ".", "-" or "_"');
  }
  return slug;
}

/** True when the string is already a slug that `slugify` would leave unchanged. */
export function isSlug(value: string): boolean {
  try {
    return slugify(value) === value;
  } catch {
    return false;
  }
}
