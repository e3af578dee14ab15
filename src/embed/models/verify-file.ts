import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { RemoteFile } from './hub-listing.js';

/**
 * Checks a file against what the hub's listing promises: the size always, then the strongest checksum the listing
 * gives (SHA-256 for LFS files, the git blob id for the rest). Returns what is wrong, or undefined when it matches.
 */
export async function fileMismatch(file: string, expected: RemoteFile): Promise<string | undefined> {
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) return 'the file is missing';
  if (found.size !== expected.size) return `its size is ${found.size} bytes, the listing says ${expected.size}`;
  if (expected.sha256) {
    const actual = await digest(file, 'sha256');
    return actual === expected.sha256 ? undefined : `its SHA-256 is ${actual}, the listing says ${expected.sha256}`;
  }
  if (expected.gitBlobSha1) {
    const actual = await digest(file, 'sha1', `blob ${found.size}\0`);
    return actual === expected.gitBlobSha1 ? undefined : `its git blob id is ${actual}, the listing says ${expected.gitBlobSha1}`;
  }
  return undefined;
}

async function digest(file: string, algorithm: 'sha256' | 'sha1', header = ''): Promise<string> {
  const hash = createHash(algorithm).update(header);
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
