import { z } from 'zod';
import { errorMessageWithCause } from '../error-message.js';
import { listingUrl, type HubLocation } from './hub-urls.js';

/** What the listing promises about one file; downloads are checked against it. */
export interface RemoteFile {
  path: string;
  size: number;
  /** SHA-256 of the content, given for files stored in LFS (the weights). */
  sha256?: string;
  /** Git blob id (SHA-1 of "blob <size>\0" + content), which the hub gives for files stored in git itself. */
  gitBlobSha1?: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const HEX40 = /^[0-9a-f]{40}$/;

const TreeEntrySchema = z.object({
  type: z.string(),
  path: z.string().min(1),
  size: z.number().int().nonnegative(),
  oid: z.string().optional(),
  lfs: z.object({ oid: z.string(), size: z.number().int().nonnegative() }).optional(),
});
const TreePageSchema = z.array(TreeEntrySchema);

/** Listings of large repositories come in pages linked by `Link: <url>; rel="next"`. */
const MAX_PAGES = 100;

export async function listRemoteFiles(location: HubLocation, headers: Record<string, string>): Promise<Map<string, RemoteFile>> {
  const files = new Map<string, RemoteFile>();
  let url: string | undefined = listingUrl(location);
  for (let page = 0; url; page++) {
    if (page === MAX_PAGES) throw new Error(`the file listing of ${location.repo} at ${location.base} has more than ${MAX_PAGES} pages`);
    const { entries, next } = await fetchListingPage(url, location, headers);
    for (const entry of entries) {
      if (entry.type !== 'file') continue;
      files.set(entry.path, toRemoteFile(entry));
    }
    url = next;
  }
  return files;
}

function toRemoteFile(entry: z.infer<typeof TreeEntrySchema>): RemoteFile {
  if (entry.lfs) {
    // For LFS files `oid` names the small pointer file; the content's checksum is `lfs.oid`.
    const sha256 = entry.lfs.oid.toLowerCase();
    return { path: entry.path, size: entry.lfs.size, ...(HEX64.test(sha256) ? { sha256 } : {}) };
  }
  const oid = entry.oid?.toLowerCase();
  return { path: entry.path, size: entry.size, ...(oid && HEX40.test(oid) ? { gitBlobSha1: oid } : {}) };
}

async function fetchListingPage(
  url: string,
  location: HubLocation,
  headers: Record<string, string>,
): Promise<{ entries: z.infer<typeof TreePageSchema>; next?: string }> {
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(60_000) });
    body = await response.text();
  } catch (error) {
    throw new Error(`could not reach the model hub at ${location.base}: ${errorMessageWithCause(error)}; check the network, or pass --model-mirror <url> to use a mirror`);
  }
  if (response.status === 401 || response.status === 403 || response.status === 404) {
    throw new Error(`model repository ${location.repo} was not found at ${location.base} (HTTP ${response.status}); check the name (mcdewey model pull --help lists the catalogue) or whether the repository is private or gated`);
  }
  if (!response.ok) throw new Error(`listing the files of ${location.repo} at ${location.base} failed: HTTP ${response.status} ${response.statusText}`);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new Error(`the file listing of ${location.repo} from ${url} is not JSON; is ${location.base} a model hub or a mirror of one?`);
  }
  const parsed = TreePageSchema.safeParse(json);
  if (!parsed.success) throw new Error(`the file listing of ${location.repo} from ${url} has an unexpected shape: ${z.prettifyError(parsed.error)}`);
  return { entries: parsed.data, next: nextPage(response.headers.get('link'), url) };
}

function nextPage(link: string | null, current: string): string | undefined {
  const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
  return match ? new URL(match[1]!, current).href : undefined;
}
