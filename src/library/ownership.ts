import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { LibraryError } from './errors.js';
import type { DataDir } from './data-dir.js';

/**
 * Proof that a data directory is a McDewey library: the marker file `<data>/.mcdewey`, written
 * when McDewey initialises the directory, holding a format version and a random library id.
 * Only with that proof does McDewey clean up anything in it, so pointing --data at a home or
 * project folder can never cost a user file.
 */
export const MARKER_NAME = '.mcdewey';
const MARKER_FORMAT = 1;

export interface LibraryMarker {
  format: number;
  libraryId: string;
  createdAt: string;
}

export type ClaimState =
  /** The marker was there. */
  | 'owned'
  /** A new or empty folder, initialised now. */
  | 'created'
  /** A library from before the marker (only McDewey's own entries), marked now. */
  | 'adopted'
  /** A library from before the marker that cannot be marked (read-only): usable, but never cleaned up. */
  | 'unmarked';

export interface DataDirClaim {
  state: ClaimState;
  marker?: LibraryMarker;
}

/** What McDewey itself puts in a data directory; a folder holding only these is a library from before the marker. */
const OWN_ENTRY = /^(?:index\.sqlite(?:-wal|-shm|-journal)?|index\.sqlite\.damaged-[\w-]+?(?:-wal|-shm)?|index\.(?:lexical|vectors)|\.index\.(?:lexical|vectors)\.\d+\.\d+\.tmp|library|tmp|models|originals|uploads|cache|\.mcdewey\.[0-9a-f-]{36}\.tmp)$/;

/**
 * Makes sure `dir` is a McDewey data directory, initialising a new or empty one. A folder with
 * other content and no marker is refused: it is someone's files, not a library.
 */
export function claimDataDir(dir: DataDir): DataDirClaim {
  const root = dir.root;
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (stat && !stat.isDirectory()) {
    throw new LibraryError('invalid_input', `the data directory ${root} is not a folder`, 'Pass a folder with --data / MCDEWEY_DATA (a new one is created)');
  }
  if (!stat) {
    fs.mkdirSync(root, { recursive: true });
    return { state: 'created', marker: writeMarker(root) };
  }
  const existing = readMarker(root);
  if (existing) return { state: 'owned', marker: existing };
  const entries = fs.readdirSync(root).sort();
  const foreign = entries.filter((name) => !OWN_ENTRY.test(name));
  if (entries.length > 0 && (foreign.length > 0 || !entries.some((name) => name === 'index.sqlite' || name === 'library'))) {
    throw notALibrary(root, entries);
  }
  try {
    const marker = writeMarker(root);
    return { state: entries.length === 0 ? 'created' : 'adopted', marker };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A read-only copy of an old library can still be searched; it just never gets cleaned up.
    if (entries.length > 0 && (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOSPC')) return { state: 'unmarked' };
    throw error;
  }
}

/** The marker, or undefined when there is none; a marker McDewey cannot read is refused. */
function readMarker(root: string): LibraryMarker | undefined {
  const file = path.join(root, MARKER_NAME);
  let text: string;
  try {
    if (!fs.lstatSync(file).isFile()) throw unreadableMarker(file, 'is not a regular file');
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: Partial<LibraryMarker>;
  try {
    parsed = JSON.parse(text) as Partial<LibraryMarker>;
  } catch {
    throw unreadableMarker(file, 'is not valid JSON');
  }
  if (typeof parsed.format !== 'number' || typeof parsed.libraryId !== 'string') throw unreadableMarker(file, 'lacks "format" or "libraryId"');
  if (parsed.format > MARKER_FORMAT) {
    throw new LibraryError('invalid_input', `${file} has format ${parsed.format}, but this McDewey knows format ${MARKER_FORMAT}`, 'The library was made by a newer McDewey: upgrade McDewey');
  }
  return parsed as LibraryMarker;
}

/**
 * Writes the marker without ever replacing one: the text goes to a private file first and is
 * hard-linked into place, so a concurrent start sees either no marker or a whole one.
 */
function writeMarker(root: string): LibraryMarker {
  const marker: LibraryMarker = { format: MARKER_FORMAT, libraryId: randomUUID(), createdAt: new Date().toISOString() };
  const file = path.join(root, MARKER_NAME);
  const draft = path.join(root, `${MARKER_NAME}.${randomUUID()}.tmp`);
  fs.writeFileSync(draft, `${JSON.stringify(marker)}\n`, { flag: 'wx' });
  try {
    fs.linkSync(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readMarker(root)!; // another process initialised it first
  } finally {
    fs.rmSync(draft, { force: true });
  }
  return marker;
}

function unreadableMarker(file: string, problem: string): LibraryError {
  return new LibraryError('invalid_input', `the library marker ${file} ${problem}`, 'Restore it from a backup, or choose another --data directory');
}

function notALibrary(root: string, shown: string[]): LibraryError {
  const listed = shown.slice(0, 5).map((name) => JSON.stringify(name)).join(', ') + (shown.length > 5 ? ` and ${shown.length - 5} more` : '');
  return new LibraryError(
    'invalid_input',
    `${root} is not a McDewey data directory: it has no ${MARKER_NAME} marker and holds ${listed}`,
    'McDewey only uses a folder it created, so that it never deletes files it does not own. Choose an empty or new folder with --data / MCDEWEY_DATA (McDewey creates it)',
  );
}
