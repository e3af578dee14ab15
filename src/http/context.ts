import type { Config } from '../config/config.js';
import type { Library } from '../service/library.js';
import type { Jobs } from '../service/jobs/job-queue.js';
import { publicLinks, type PublicLinks } from './links.js';
import type { Sessions } from './session.js';
import { LibraryError } from '../library/errors.js';

/** What every surface handler gets: the one service layer, the config, and link building. */
export interface ServerContext {
  library: Library;
  config: Config;
  /** Ingestion jobs and curators' browser sessions: only on a server with a token (writes enabled). */
  jobs?: Jobs;
  sessions?: Sessions;
  /** Public base URL without a trailing slash, e.g. http://127.0.0.1:8765 */
  baseUrl: string;
}

/** The server's job queue; a server without a token has none and refuses curating, saying how to enable it. */
export function jobsOf(ctx: ServerContext): Jobs {
  if (!ctx.jobs) {
    throw new LibraryError('writes_disabled', 'this server was started without a token, so curating and jobs are disabled', 'Restart it with --token <secret> or MCDEWEY_TOKEN=<secret> (at least 16 characters)');
  }
  return ctx.jobs;
}

/** Absolute links under the server's public base URL. */
export function linksOf(ctx: ServerContext): PublicLinks {
  return publicLinks(ctx.baseUrl);
}

/** Absolute URL of a chunk page in the web UI (what agents cite). */
export function chunkUrl(ctx: ServerContext, chunkId: string): string {
  return linksOf(ctx).chunkUrl(chunkId);
}

/** Absolute URL of a document page in the viewer, optionally highlighting a chunk. */
export function pageUrl(ctx: ServerContext, docId: string, page: number, chunkId?: string): string {
  return linksOf(ctx).pageUrl(docId, page, chunkId);
}
