import { packageVersion } from '../../../version.js';

/** The product token robots.txt groups are matched against (case-insensitively). */
export const ROBOTS_AGENT_TOKEN = 'McDewey';

/**
 * Browser-like, because some documentation hosts answer unknown clients with a bot wall, but
 * honest: it names McDewey and its version so site owners can recognise and address it.
 */
export function userAgent(): string {
  return `Mozilla/5.0 (compatible; ${ROBOTS_AGENT_TOKEN}/${packageVersion()}; documentation library crawler)`;
}
