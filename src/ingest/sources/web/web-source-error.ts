import { SourceError } from '../discover.js';

/**
 * A web source that cannot be used at all: bad options, a start URL that is refused (robots.txt,
 * an address on the local network) or that fails. Failures of single pages during a crawl are
 * not thrown; they are reported as `failed` events and the crawl goes on.
 */
export type WebSourceErrorCode = 'invalid-options' | 'invalid-url' | 'invalid-state' | 'refused' | 'blocked-address' | 'robots' | 'fetch-failed' | 'unsupported-content';

export class WebSourceError extends SourceError {
  constructor(
    readonly code: WebSourceErrorCode,
    source: string,
    readonly problem: string,
    readonly hint: string,
    readonly status?: number,
  ) {
    super(source, problem, hint);
    this.name = 'WebSourceError';
  }
}
