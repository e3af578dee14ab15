/**
 * Who may curate: a browser logged in with the server's token (the session cookie), or a script
 * sending the token as a bearer header, as on the API. A write form from a browser must carry the
 * session's CSRF token; a bearer request needs none, since no other site can make a browser send it.
 */
import type { Context } from 'hono';
import type { ServerContext } from '../../http/context.js';
import { bearerToken, tokenMatches } from '../../http/security.js';
import { sessionCookieValue, type Session } from '../../http/session.js';
import { LibraryError } from '../../library/errors.js';

export interface Curator {
  /** The browser session, when the curator is a logged-in browser. */
  session?: Session;
  /** The CSRF token every write form of this session carries. */
  csrf?: string;
}

export type FormFields = Record<string, string | File | (string | File)[]>;

function writesDisabled(): LibraryError {
  return new LibraryError('writes_disabled', 'this server was started without a token, so curating is disabled', 'Restart it with --token <secret> or MCDEWEY_TOKEN=<secret> (at least 16 characters), then log in with that token');
}

/** The curator making this request, or undefined when it is nobody who may curate. */
export function curatorOf(ctx: ServerContext, c: Context): Curator | undefined {
  if (!ctx.sessions || !ctx.config.token) throw writesDisabled();
  if (tokenMatches(bearerToken(c.req.header('Authorization')), ctx.config.token)) return {};
  const session = ctx.sessions.verify(sessionCookieValue(c.req.header('Cookie')));
  return session ? { session, csrf: ctx.sessions.csrf(session) } : undefined;
}

/** Where to send a browser that is not logged in: the login page, coming back here afterwards. */
export function loginRedirect(c: Context): Response {
  const next = new URL(c.req.url).pathname + new URL(c.req.url).search;
  return c.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
}

/**
 * Reads a write form and checks that it may be acted on: the curator is logged in (or sent the
 * token) and, for a browser, the form carries this session's CSRF token.
 */
export async function readWriteForm(ctx: ServerContext, c: Context): Promise<{ curator: Curator; fields: FormFields }> {
  const curator = curatorOf(ctx, c);
  if (!curator) throw new LibraryError('unauthorized', 'you are not logged in (or your session has ended)', 'Log in at /login with the server\'s token, then send the form again');
  const fields = (await c.req.parseBody({ all: true })) as FormFields;
  if (curator.session && !ctx.sessions!.checkCsrf(curator.session, fields['csrf'])) {
    throw new LibraryError('unauthorized', 'this form did not come from a page of this server, or it is older than your session', 'Reload the page and send the form again');
  }
  return { curator, fields };
}

/** A text field of a form: trimmed, undefined when empty; a repeated or file value is refused. */
export function textField(fields: FormFields, name: string, maxLength = 4096): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new LibraryError('invalid_input', `form field "${name}" must be text, given once`);
  const trimmed = value.trim();
  if (trimmed.length > maxLength) throw new LibraryError('invalid_input', `form field "${name}" is longer than ${maxLength} characters`);
  return trimmed === '' ? undefined : trimmed;
}

/** The files of a file field (an empty file input sends one nameless, empty file). */
export function fileFields(fields: FormFields, name: string): File[] {
  const value = fields[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is File => typeof v !== 'string' && v.size > 0);
}

export const checked = (fields: FormFields, name: string): boolean => fields[name] === 'on' || fields[name] === 'true' || fields[name] === '1';
