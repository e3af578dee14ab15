import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { IndexFileError } from './index-file-error.js';
import { allocate, type TypedArray } from './typed-memory.js';

/**
 * One file holding an index's typed arrays, loaded by reading it whole and viewing the arrays in
 * place (no parsing, no copies), so that a 100k-chunk index opens in tens of milliseconds.
 *
 * Layout (little-endian):
 *   0  magic "MCDWIDX\n"            16  file length (float64)
 *   8  container version (u32)      24  CRC-32 of bytes [32, end)
 *  12  manifest length (u32)        28  CRC-32 of bytes [0, 28)
 *  32  manifest (JSON: kind, format, caller's metadata, array table), then the arrays, 8-aligned.
 * Files are written to a temporary name, fsynced and renamed, so a reader sees the old file or the
 * new one, never a mix; a crash leaves at worst a stray temporary file.
 */
const MAGIC = Buffer.from('MCDWIDX\n', 'latin1');
const CONTAINER_VERSION = 1;
const HEADER_BYTES = 32;

const TYPES = {
  u8: Uint8Array, i8: Int8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array, f32: Float32Array, f64: Float64Array,
} as const;
type TypeName = keyof typeof TYPES;

function typeName(array: TypedArray): TypeName {
  for (const [name, Ctor] of Object.entries(TYPES)) if (array instanceof Ctor) return name as TypeName;
  throw new TypeError(`unsupported array type ${array.constructor.name}`);
}

export interface ArrayFileContent {
  /** What the file holds ("lexical", "vector"); a reader expecting another kind refuses it. */
  kind: string;
  /** The holder's own format number, bumped whenever the meaning of the arrays changes. */
  format: number;
  /** Small JSON-serialisable metadata (counts, parameters, the caller's position string). */
  meta: unknown;
  arrays: TypedArray[];
}

const align8 = (n: number) => (n + 7) & ~7;

function requireLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new Error('index files are little-endian; this machine is big-endian');
}

export function writeArrayFile(file: string, content: ArrayFileContent): void {
  requireLittleEndian();
  let offset = 0;
  const table = content.arrays.map((array) => {
    const entry: [TypeName, number, number] = [typeName(array), offset, array.length];
    offset = align8(offset + array.byteLength);
    return entry;
  });
  const manifest = Buffer.from(JSON.stringify({ kind: content.kind, format: content.format, meta: content.meta, arrays: table }));
  const dataStart = align8(HEADER_BYTES + manifest.length);
  const fileLength = dataStart + offset;

  const pieces: Uint8Array[] = [manifest, new Uint8Array(dataStart - HEADER_BYTES - manifest.length)];
  for (const array of content.arrays) {
    pieces.push(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    pieces.push(new Uint8Array(align8(array.byteLength) - array.byteLength));
  }
  let bodyCrc = 0;
  // Empty pieces are skipped: Node's crc32 of an empty view over a zero-length buffer returns 0, not the running value.
  for (const piece of pieces) if (piece.byteLength > 0) bodyCrc = zlib.crc32(piece, bodyCrc);
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(CONTAINER_VERSION, 8);
  header.writeUInt32LE(manifest.length, 12);
  header.writeDoubleLE(fileLength, 16);
  header.writeUInt32LE(bodyCrc, 24);
  header.writeUInt32LE(zlib.crc32(header.subarray(0, 28)), 28);

  const dir = path.dirname(path.resolve(file));
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, header);
    for (const piece of pieces) if (piece.byteLength > 0) fs.writeSync(fd, piece);
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, file);
  // The rename itself is durable only once the directory is synced.
  const dirFd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}

export interface ArrayFileRead {
  meta: unknown;
  arrays: TypedArray[];
  /** Bytes read from disk. */
  bytes: number;
}

/**
 * Reads a file written by writeArrayFile. `shared` puts the arrays in a SharedArrayBuffer.
 * Throws IndexFileError when the file is missing, of another kind or format, truncated or damaged.
 */
export function readArrayFile(file: string, expected: { kind: string; format: number }, shared: boolean): ArrayFileRead {
  requireLittleEndian();
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new IndexFileError(file, 'missing', 'no index file here');
    throw error;
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < HEADER_BYTES) throw new IndexFileError(file, 'truncated', `the file has ${size} bytes, less than a header`);
    const bytes = allocate(Uint8Array, size, shared);
    for (let read = 0; read < size; ) {
      const n = fs.readSync(fd, bytes, read, size - read, read);
      if (n === 0) throw new IndexFileError(file, 'truncated', `the file ended after ${read} of ${size} bytes while reading`);
      read += n;
    }
    const header = Buffer.from(bytes.buffer, 0, HEADER_BYTES);
    if (!header.subarray(0, 8).equals(MAGIC)) throw new IndexFileError(file, 'not-an-index', 'this is not a McDewey index file');
    if (zlib.crc32(header.subarray(0, 28)) !== header.readUInt32LE(28)) {
      throw new IndexFileError(file, 'corrupt', 'the header checksum does not match');
    }
    const version = header.readUInt32LE(8);
    if (version !== CONTAINER_VERSION) {
      throw new IndexFileError(file, 'version', `container version ${version}, this program reads version ${CONTAINER_VERSION}`);
    }
    const fileLength = header.readDoubleLE(16);
    if (size < fileLength) throw new IndexFileError(file, 'truncated', `the file has ${size} of its ${fileLength} bytes`);
    if (size > fileLength) throw new IndexFileError(file, 'corrupt', `the file has ${size - fileLength} bytes more than written`);
    if (zlib.crc32(bytes.subarray(HEADER_BYTES)) !== header.readUInt32LE(24)) {
      throw new IndexFileError(file, 'corrupt', 'the content checksum does not match');
    }
    const manifestLength = header.readUInt32LE(12);
    // Decode from a copy: TextDecoder refuses views over shared memory.
    const manifest = parseManifest(file, Buffer.from(bytes.subarray(HEADER_BYTES, HEADER_BYTES + manifestLength)).toString('utf8'));
    if (manifest.kind !== expected.kind) {
      throw new IndexFileError(file, 'not-an-index', `this file holds a ${manifest.kind} index, not a ${expected.kind} index`);
    }
    if (manifest.format !== expected.format) {
      throw new IndexFileError(file, 'version', `${manifest.kind} index format ${manifest.format}, this program reads format ${expected.format}`);
    }
    const dataStart = align8(HEADER_BYTES + manifestLength);
    const arrays = manifest.arrays.map(([type, offset, length]) => {
      const Ctor = TYPES[type];
      const start = dataStart + offset;
      if (start % 8 !== 0 || start + length * Ctor.BYTES_PER_ELEMENT > size) {
        throw new IndexFileError(file, 'corrupt', `array at ${offset} lies outside the file`);
      }
      return new Ctor(bytes.buffer, start, length) as TypedArray;
    });
    return { meta: manifest.meta, arrays, bytes: size };
  } finally {
    fs.closeSync(fd);
  }
}

interface Manifest {
  kind: string;
  format: number;
  meta: unknown;
  arrays: [TypeName, number, number][];
}

function parseManifest(file: string, text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new IndexFileError(file, 'corrupt', 'the manifest is not JSON');
  }
  const m = json as Partial<Manifest>;
  const validTable = Array.isArray(m.arrays) && m.arrays.every((e) =>
    Array.isArray(e) && e.length === 3 && typeof e[0] === 'string' && e[0] in TYPES && Number.isSafeInteger(e[1]) && Number.isSafeInteger(e[2]) && e[1] >= 0 && e[2] >= 0);
  if (typeof m.kind !== 'string' || typeof m.format !== 'number' || !validTable) {
    throw new IndexFileError(file, 'corrupt', 'the manifest lacks its kind, format or array table');
  }
  return m as Manifest;
}
