import { createHash } from 'node:crypto';
import { sniffFormat } from './content-sniff.js';
import type { WebResource } from './crawl-events.js';
import { addressPolicyFor, openFetchContext, type WebRuntime } from './fetch-context.js';
import { fileNameFor } from './file-name.js';
import { FetchOptionsSchema, parseOptions, type FetchOptionsInput } from './options.js';
import { headerValue, validatorsFrom } from './response-headers.js';
import { safeFetch, type Validators } from './safe-fetch.js';
import { normalizeUrl, urlShapeRefusal } from './url-normalize.js';
import { WebSourceError } from './web-source-error.js';

/**
 * Fetches one document by URL (a PDF, an HTML page, a Markdown or text file), the way a person
 * downloading it would: redirects are followed to any site, each hop checked against the address
 * policy; robots.txt is not consulted, since nothing is crawled. Failures throw a
 * `WebSourceError` that says what failed and what to do.
 *
 * With `previous` (what an earlier fetch returned), the request is conditional and the answer may
 * be `unchanged` (304, or the same bytes) or `gone` (404/410).
 */
export interface FetchUrlRuntime extends WebRuntime {
  previous?: Validators & { contentHash?: string };
}

export type FetchUrlResult =
  | { type: 'resource'; resource: WebResource }
  | { type: 'unchanged'; url: string; finalUrl: string; validators: Validators }
  | { type: 'gone'; url: string; status: number };

export async function fetchUrl(address: string, options: FetchOptionsInput = {}, runtime: FetchUrlRuntime = {}): Promise<FetchUrlResult> {
  const settings = parseOptions(FetchOptionsSchema, options, address);
  const policy = addressPolicyFor(settings, address);
  const url = normalizeUrl(address.trim());
  if (!url) throw new WebSourceError('invalid-url', address, 'not a valid URL', 'Give a full address such as https://example.com/manual.pdf');
  const shape = urlShapeRefusal(url);
  if (shape) throw new WebSourceError('invalid-url', address, shape.reason, shape.hint);
  const ctx = openFetchContext(settings, policy, runtime);
  try {
    const previous = runtime.previous;
    const outcome = await safeFetch(ctx, {
      url,
      accept: 'application/pdf,text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.8,*/*;q=0.5',
      // The validators belong to the document, wherever its redirects end.
      validatorsFor: () => previous,
    });
    if (outcome.kind === 'not-modified') {
      return { type: 'unchanged', url: url.href, finalUrl: outcome.url.href, validators: validatorsFrom(outcome.headers, previous) };
    }
    if (outcome.kind === 'failed') {
      const { failure } = outcome;
      if (previous && failure.code === 'gone' && failure.status) return { type: 'gone', url: url.href, status: failure.status };
      const code = failure.code === 'blocked-address' ? 'blocked-address' : failure.code === 'refused' ? 'refused' : 'fetch-failed';
      throw new WebSourceError(code, url.href, failure.message, failure.hint, failure.status);
    }
    const contentType = headerValue(outcome.headers['content-type']);
    const sniffed = sniffFormat({ contentType, bytes: outcome.body, url: outcome.url });
    if ('unsupported' in sniffed) {
      throw new WebSourceError('unsupported-content', url.href, sniffed.unsupported, 'Give the URL of a PDF, HTML, Markdown or text document');
    }
    const contentHash = createHash('sha256').update(outcome.body).digest('hex');
    const validators = validatorsFrom(outcome.headers);
    if (previous?.contentHash === contentHash) return { type: 'unchanged', url: url.href, finalUrl: outcome.url.href, validators };
    return {
      type: 'resource',
      resource: {
        url: outcome.url.href,
        requestedUrl: url.href,
        finalUrl: outcome.url.href,
        format: sniffed.format,
        fileName: fileNameFor(outcome.url, sniffed.format),
        bytes: outcome.body,
        ...(contentType ? { contentType } : {}),
        contentHash,
        validators,
        fetchedAt: new Date().toISOString(),
        navigation: { order: 0, depth: 0, via: 'start' },
      },
    };
  } finally {
    ctx.close();
  }
}

