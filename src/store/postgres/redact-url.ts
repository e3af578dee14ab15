/**
 * A PostgreSQL URL made fit to print, apart from pg-pool.ts so that code which only names the store
 * (the `serve` banner) does not load the PostgreSQL client: an embedded library's server never uses it.
 */

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}
