import type { LibraryError } from '../library/errors.js';
import { STATUS_OF } from '../http/error-envelope.js';
import { redactServerPaths } from '../http/remote-error.js';
import { html, type SafeHtml } from './html.js';
import { layout, type RenderedPage } from './layout.js';

/** The HTTP status of a page that shows a service error: the same as the API's for that code. */
export function statusOf(error: LibraryError): RenderedPage['status'] {
  return STATUS_OF[error.code];
}

/** The in-page form of an error: what failed and what to do, never a stack trace. */
export function errorNotice(error: LibraryError): SafeHtml {
  return html`<div class="notice error" role="alert"><p>${redactServerPaths(error.message)}</p></div>`;
}

export function errorPage(status: RenderedPage['status'], heading: string, message: string): RenderedPage {
  const body = html`<h1>${heading}</h1>
<div class="notice error" role="alert"><p>${message}</p></div>
<p>Try <a href="/search">searching the library</a> or <a href="/library">browsing it</a>.</p>`;
  return { status, body: layout({ title: heading, body }) };
}

export function libraryErrorPage(error: LibraryError): RenderedPage {
  const heading = error.code === 'not_found' ? 'Not found' : error.code === 'invalid_input' ? 'Invalid request' : 'Not available';
  return errorPage(statusOf(error), heading, redactServerPaths(error.message));
}

export function notFoundPage(path: string): RenderedPage {
  return errorPage(404, 'Page not found', `There is no page at ${path.slice(0, 200)}.`);
}

export function methodNotAllowedPage(method: string, path: string): RenderedPage {
  return errorPage(405, 'Method not allowed', `${method.slice(0, 20)} is not supported on ${path.slice(0, 200)}: the web UI only answers GET (and HEAD).`);
}

export function internalErrorPage(): RenderedPage {
  return errorPage(500, 'Something went wrong', 'The server could not show this page. The error has been logged; please try again.');
}
