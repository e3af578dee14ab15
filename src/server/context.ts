import type { Config } from '../config/config.js';
import type { Library } from '../service/library.js';
import { chunkHref, documentHref } from '../web/links.js';

/** What every surface handler gets: the one service layer, the config, and link building. */
export interface ServerContext {
  library: Library;
  config: Config;
  /** Public base URL without a trailing slash, e.g. http://127.0.0.1:8765 */
  baseUrl: string;
}

/** Absolute URL of a chunk page in the web UI (what agents cite). */
export function chunkUrl(ctx: ServerContext, chunkId: string): string {
  return `${ctx.baseUrl}${chunkHref(chunkId)}`;
}

/** Absolute URL of a document page in the viewer, optionally highlighting a chunk. */
export function pageUrl(ctx: ServerContext, docId: string, page: number, chunkId?: string): string {
  return `${ctx.baseUrl}${documentHref(docId, page, chunkId)}`;
}
