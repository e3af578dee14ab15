import type { Context } from 'hono';

/**
 * Sets a header on the response a handler has already produced, in place. Hono's `c.header()` at
 * that point rebuilds the Response around its body on every call, and each rebuild turns the Node
 * adapter's plain string body into a web stream that is then read back chunk by chunk: four such
 * rebuilds (CORS and security headers) on every /api and /mcp answer. A response whose headers
 * are immutable (a fetched one, `Response.error()`) still goes Hono's rebuilding way.
 */
export function setResponseHeader(c: Context, name: string, value: string, append = false): void {
  try {
    if (append) c.res.headers.append(name, value);
    else c.res.headers.set(name, value);
  } catch {
    c.header(name, value, append ? { append: true } : undefined);
  }
}
