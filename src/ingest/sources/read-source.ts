import fs from 'node:fs';

/**
 * Reads a source file's bytes, refusing anything but a regular file. The file is opened
 * non-blocking and checked on the open descriptor, so a named pipe swapped in after discovery
 * (or named directly) fails at once instead of blocking `add` forever.
 */
export class NotARegularFileError extends Error {
  constructor(readonly file: string, kind: string) {
    super(`${file}: is ${kind}, not a regular file. Only regular files are read; pass the file itself`);
    this.name = 'NotARegularFileError';
  }
}

export function readRegularFile(file: string): Uint8Array {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotARegularFileError(file, kindOf(stat));
    // A plain Uint8Array: pdf.js rejects Node Buffers.
    return new Uint8Array(fs.readFileSync(fd));
  } finally {
    fs.closeSync(fd);
  }
}

export function kindOf(stat: fs.Stats | fs.Dirent): string {
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isDirectory()) return 'a folder';
  return 'not a regular file';
}
