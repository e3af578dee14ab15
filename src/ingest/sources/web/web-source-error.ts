import type { ErrorCode } from '../../../library/errors.js';
import { SourceError } from '../discover.js';

/**
 * A web source that cannot be used at all: bad options, a start URL that is refused (robots.txt,
 * an address on the local network) or that fails. Failures of single pages during a crawl are
 * not thrown; they are reported as `failed` events and the crawl goes on. `reason` says which of
 * these it is; `code` is its place in the one error vocabulary.
 */
export type WebSourceErrorReason = 'invalid-options' | 'invalid-url' | 'invalid-state' | 'refused' | 'blocked-address' | 'robots' | 'fetch-failed' | 'unsupported-content';

const CODE_OF: Readonly<Record<WebSourceErrorReason, ErrorCode>> = {
  'invalid-options': 'invalid_input',
  'invalid-url': 'invalid_input',
  'invalid-state': 'invalid_input',
  refused: 'source_refused',
  'blocked-address': 'source_refused',
  robots: 'source_refused',
  'fetch-failed': 'source_unreachable',
  'unsupported-content': 'ingest_failed',
};

export class WebSourceError extends SourceError {
  constructor(
    readonly reason: WebSourceErrorReason,
    source: string,
    override readonly problem: string,
    override readonly hint: string,
    readonly status?: number,
  ) {
    super(source, problem, hint, CODE_OF[reason]);
    this.name = 'WebSourceError';
  }
}
