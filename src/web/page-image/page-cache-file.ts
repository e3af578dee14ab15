/**
 * One cached file of a PDF's page images: read when present, else made once (concurrent requests
 * for the same file share the work) and written atomically, so a reader never sees half an image.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

const inFlight = new Map<string, Promise<Buffer>>();

export async function cachedFile(file: string, make: () => Promise<Buffer>): Promise<Buffer> {
  try {
    return await fs.promises.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  let pending = inFlight.get(file);
  if (!pending) {
    pending = (async () => {
      const bytes = await make();
      await writeAtomically(file, bytes);
      return bytes;
    })().finally(() => inFlight.delete(file));
    inFlight.set(file, pending);
  }
  return pending;
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const staged = `${file}.${randomUUID()}.partial`;
  try {
    await fs.promises.writeFile(staged, bytes, { flag: 'wx' });
    await fs.promises.rename(staged, file);
  } catch (error) {
    await fs.promises.rm(staged, { force: true });
    // A cache that cannot be written (read-only data directory, full disk) still serves this request.
    if (!['EROFS', 'ENOSPC', 'EACCES', 'EPERM', 'EDQUOT'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  }
}
