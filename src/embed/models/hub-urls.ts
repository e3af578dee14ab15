/**
 * Where models are pulled from. A mirror (`--model-mirror`) must serve the same two routes as the public hub:
 * the file listing API and the per-file `resolve` route (redirects allowed, HTTP Range honoured for resuming).
 */
export const DEFAULT_MODEL_HUB = 'https://huggingface.co';

/** The branch pulled; the listing's checksums pin what is accepted, whatever the branch points at. */
export const MODEL_REVISION = 'main';

export interface HubLocation {
  /** Base URL without a trailing slash, e.g. https://huggingface.co or http://mirror.internal/hf. */
  base: string;
  repo: string;
  revision: string;
}

export function normaliseHubBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`invalid model mirror URL "${url}": expected an http(s) URL such as http://mirror.internal/hf`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`invalid model mirror URL "${url}": only http and https are supported`);
  }
  if (parsed.search || parsed.hash) throw new Error(`invalid model mirror URL "${url}": remove the query string or fragment`);
  return parsed.href.replace(/\/+$/, '');
}

/** The recursive file listing, `GET /api/models/<repo>/tree/<revision>?recursive=true`. */
export function listingUrl({ base, repo, revision }: HubLocation): string {
  return `${base}/api/models/${repo}/tree/${encodeURIComponent(revision)}?recursive=true`;
}

/** One file's content, `GET /<repo>/resolve/<revision>/<path>`. */
export function fileUrl({ base, repo, revision }: HubLocation, filePath: string): string {
  return `${base}/${repo}/resolve/${encodeURIComponent(revision)}/${filePath.split('/').map(encodeURIComponent).join('/')}`;
}
