/**
 * The curation pages of the web UI, behind the server's token: log in and out, add documents
 * (uploads, a URL, a site), follow jobs, and re-label, refresh or remove what is in the library.
 * Every page works without JavaScript. Writes are POST forms that carry the session's CSRF token
 * (or come with the bearer token, as on the API); each answers with a redirect to what it started.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jobsOf, type ServerContext } from '../../http/context.js';
import { bearerToken, tokenMatches } from '../../http/security.js';
import { sessionCookie } from '../../http/session.js';
import { LibraryError } from '../../library/errors.js';
import type { LabelFlags } from '../../ingest/sources/discover.js';
import { suggestLabels } from '../../ingest/sources/url-labels.js';
import type { JobRequestInput } from '../../service/jobs/job-request.js';
import { UPLOAD_MAX_BYTES } from '../../service/jobs/upload-staging.js';
import { errorPage, libraryErrorPage } from '../error-page.js';
import type { RenderedPage } from '../layout.js';
import { checked, curatorOf, fileFields, loginRedirect, readWriteForm, textField, type Curator, type FormFields } from './guard.js';
import { addPage, type WebFormValues } from './pages/add-page.js';
import { jobPage, jobsPage } from './pages/job-pages.js';
import { loginPage } from './pages/login-page.js';
import { managePage, relabelPage, removeConfirmPage, removedPage, type ManageTarget } from './pages/manage-pages.js';

/** Every path here, for answering other methods with 405. */
const PATHS: Record<string, string> = {
  '/login': 'GET, POST', '/logout': 'POST', '/curate': 'GET', '/curate/upload': 'POST', '/curate/web': 'POST', '/curate/library': 'GET',
  '/curate/remove': 'GET, POST', '/curate/relabel': 'GET, POST', '/curate/refresh': 'POST', '/jobs': 'GET', '/jobs/:id': 'GET', '/jobs/:id/cancel': 'POST',
};

const send = (c: Context, page: RenderedPage) => c.html(page.body, page.status);

/** A path to return to after logging in: only a path on this site, never another origin. */
function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/login') ? value : '/curate';
}

/** The cookie is Secure when the page is served over https (directly, behind a proxy, or by its public URL). */
function secure(ctx: ServerContext, c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('X-Forwarded-Proto') === 'https' || Boolean(ctx.config.publicUrl?.startsWith('https:'));
}

function targetOf(fields: FormFields | Record<string, string | undefined>): ManageTarget {
  const text = (name: string) => {
    const value = fields[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 400) : undefined;
  };
  const product = text('product');
  if (!product) throw new LibraryError('invalid_input', 'no product was named', 'Pick a product on the library management page');
  return { product, ...(text('version') ? { version: text('version')! } : {}), ...(text('document') ? { document: text('document')! } : {}) };
}

function labelsOf(fields: FormFields): LabelFlags {
  const labels: LabelFlags = {};
  for (const key of ['vendor', 'product', 'version', 'collection'] as const) {
    const value = textField(fields, key, 200);
    if (value) labels[key] = value;
  }
  return labels;
}

function lines(value: string | undefined): string[] {
  return (value ?? '').split('\n').map((line) => line.trim()).filter(Boolean);
}

function numberField(fields: FormFields, name: string): number | undefined {
  const value = textField(fields, name, 20);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new LibraryError('invalid_input', `"${name.replace('_', ' ')}" must be a number ≥ 0, not "${value}"`);
  return n;
}

/** The add-a-URL form as a job request, with the values to show again if it is refused. */
function webRequest(fields: FormFields): { request: JobRequestInput; values: WebFormValues } {
  const url = textField(fields, 'url') ?? '';
  const mode = textField(fields, 'mode') === 'document' ? 'document' : 'site';
  const labels = labelsOf(fields);
  const values: WebFormValues = {
    url, mode, ...labels,
    include: textField(fields, 'include') ?? '', exclude: textField(fields, 'exclude') ?? '',
    maxPages: textField(fields, 'max_pages') ?? '', maxDepth: textField(fields, 'max_depth') ?? '', rate: textField(fields, 'rate') ?? '',
    allowPrivate: checked(fields, 'allow_private'), ignoreRobots: checked(fields, 'ignore_robots'), replace: checked(fields, 'replace'),
  };
  const fetch = values.allowPrivate ? { allowPrivate: true } : {};
  if (mode === 'document') return { request: { kind: 'add-url', url, labels, replace: values.replace!, fetch }, values };
  const maxPages = numberField(fields, 'max_pages');
  const maxDepth = numberField(fields, 'max_depth');
  const rate = numberField(fields, 'rate');
  const crawl = {
    ...fetch,
    ...(lines(values.include).length ? { include: lines(values.include) } : {}),
    ...(lines(values.exclude).length ? { exclude: lines(values.exclude) } : {}),
    ...(maxPages === undefined ? {} : { maxPages }),
    ...(maxDepth === undefined ? {} : { maxDepth }),
    ...(rate === undefined ? {} : { maxRequestsPerSecond: rate }),
    ...(values.ignoreRobots ? { ignoreRobots: true } : {}),
  };
  return { request: { kind: 'add-site', url, labels, replace: values.replace!, crawl }, values };
}

export function curationRoutes(ctx: ServerContext): Hono {
  const app = new Hono();
  const { library } = ctx;

  /** A page only a curator sees; anyone else is sent to log in first. */
  const curatorPage = (render: (c: Context, curator: Curator) => RenderedPage | Promise<RenderedPage>) => async (c: Context) => {
    const curator = curatorOf(ctx, c);
    return curator ? send(c, await render(c, curator)) : loginRedirect(c);
  };

  app.get('/login', (c) => {
    curatorOf(ctx, c); // a server without a token says so instead of offering a login that cannot work
    return send(c, loginPage(safeNext(c.req.query('next'))));
  });
  app.post('/login', async (c) => {
    curatorOf(ctx, c);
    const fields = (await c.req.parseBody()) as FormFields;
    const next = safeNext(fields['next']);
    const token = typeof fields['token'] === 'string' ? fields['token'] : undefined;
    if (!tokenMatches(token, ctx.config.token!)) return send(c, loginPage(next, 'That is not the token this server was started with.', 401));
    const { value } = ctx.sessions!.issue();
    c.header('Set-Cookie', sessionCookie(value, secure(ctx, c)));
    return c.redirect(next, 303);
  });
  app.post('/logout', async (c) => {
    const { curator } = await readWriteForm(ctx, c);
    if (curator.session) ctx.sessions!.revoke(curator.session);
    c.header('Set-Cookie', sessionCookie('', secure(ctx, c), 0));
    return c.redirect('/', 303);
  });

  app.get('/curate', curatorPage((_c, curator) => addPage(library.tree(), curator)));
  app.post('/curate/upload', bodyLimit({
    maxSize: UPLOAD_MAX_BYTES,
    onError: () => {
      throw new LibraryError('payload_too_large', `uploads are limited to ${Math.round(UPLOAD_MAX_BYTES / 1024 / 1024)} MB`, 'Split the documents over several uploads, or add them on the server with `mcdewey add`');
    },
  }), async (c) => {
    const { curator, fields } = await readWriteForm(ctx, c);
    const files = fileFields(fields, 'file');
    const labels = labelsOf(fields);
    const missing = (['vendor', 'product', 'version'] as const).filter((key) => !labels[key]);
    if (files.length === 0 || missing.length > 0) {
      const problem = files.length === 0 ? 'Choose at least one file to upload.' : `Give the ${missing.join(', ')} of the uploaded documents.`;
      return send(c, addPage(library.tree(), curator, { error: problem, status: 400 }));
    }
    const job = await jobsOf(ctx).submitUpload(files, labels, checked(fields, 'replace'));
    return c.redirect(`/jobs/${job.id}`, 303);
  });
  app.post('/curate/web', async (c) => {
    const { curator, fields } = await readWriteForm(ctx, c);
    let values: WebFormValues = { url: textField(fields, 'url') ?? '' };
    try {
      const web = webRequest(fields);
      values = web.values;
      const job = await jobsOf(ctx).submit(web.request);
      return c.redirect(`/jobs/${job.id}`, 303);
    } catch (error) {
      if (!(error instanceof LibraryError) || error.code !== 'invalid_input') throw error;
      // Missing labels come back filled in with what the URL suggests, for the curator to check.
      const suggestions = suggestLabels(values.url ?? '');
      const filled: WebFormValues = {
        ...values,
        ...(values.vendor || !suggestions.vendor ? {} : { vendor: suggestions.vendor }),
        ...(values.product || !suggestions.product ? {} : { product: suggestions.product }),
        ...(values.version || !suggestions.version ? {} : { version: suggestions.version }),
      };
      return send(c, addPage(library.tree(), curator, { web: filled, error: error.message, suggestions, status: 400 }));
    }
  });

  app.get('/jobs', curatorPage(async (_c, curator) => jobsPage(await jobsOf(ctx).list({ limit: 50 }), curator)));
  app.get('/jobs/:id', curatorPage(async (c, curator) => {
    const jobs = jobsOf(ctx);
    const id = c.req.param('id')!;
    return jobPage(await jobs.get(id), await jobs.items(id, { limit: 1000 }), curator);
  }));
  app.post('/jobs/:id/cancel', async (c) => {
    await readWriteForm(ctx, c);
    const id = c.req.param('id')!;
    const jobs = jobsOf(ctx);
    const { status } = await jobs.get(id);
    if (status === 'queued' || status === 'running') await jobs.cancel(id);
    return c.redirect(`/jobs/${id}`, 303);
  });

  app.get('/curate/library', curatorPage((_c, curator) => managePage(library.tree(), curator)));
  app.get('/curate/remove', curatorPage((c, curator) => {
    const target = targetOf(c.req.query());
    const docs = target.document ? [library.document(target.document)] : library.documents(target);
    return removeConfirmPage(docs, target, curator);
  }));
  app.post('/curate/remove', async (c) => {
    const { curator, fields } = await readWriteForm(ctx, c);
    const target = targetOf(fields);
    const removed = target.document
      ? await library.remove(library.document(target.document).key)
      : await library.remove({ product: target.product, ...(target.version ? { version: target.version } : {}) });
    return send(c, removedPage(removed, curator));
  });
  app.get('/curate/relabel', curatorPage((c, curator) => {
    const target = targetOf(c.req.query());
    const doc = library.documents(target)[0]!;
    return relabelPage(library.tree(), target, { vendor: doc.vendorLabel, product: doc.productLabel, ...(target.version ? { version: doc.versionLabel } : {}) }, curator);
  }));
  app.post('/curate/relabel', async (c) => {
    const { fields } = await readWriteForm(ctx, c);
    const target = targetOf(fields);
    const doc = library.documents(target)[0]!;
    const wanted = { vendor: textField(fields, 'new_vendor', 200), product: textField(fields, 'new_product', 200), version: textField(fields, 'new_version', 200) };
    const labels = {
      ...(wanted.vendor && wanted.vendor !== doc.vendorLabel ? { vendor: wanted.vendor } : {}),
      ...(wanted.product && wanted.product !== doc.productLabel ? { product: wanted.product } : {}),
      ...(target.version && wanted.version && wanted.version !== doc.versionLabel ? { version: wanted.version } : {}),
    };
    const job = await jobsOf(ctx).submit({ kind: 'relabel', product: target.product, ...(target.version ? { version: target.version } : {}), labels });
    return c.redirect(`/jobs/${job.id}`, 303);
  });
  app.post('/curate/refresh', async (c) => {
    const { fields } = await readWriteForm(ctx, c);
    const target = targetOf(fields);
    const job = await jobsOf(ctx).submit({ kind: 'refresh', product: target.product, ...(target.version ? { version: target.version } : {}) });
    return c.redirect(`/jobs/${job.id}`, 303);
  });

  for (const [path, allowed] of Object.entries(PATHS)) {
    app.all(path, (c) => {
      c.header('Allow', allowed);
      return send(c, errorPage(405, 'Method not allowed', `${c.req.method.slice(0, 20)} is not supported on ${c.req.path.slice(0, 200)}; use ${allowed}.`));
    });
  }
  app.onError((error, c) => {
    if (error instanceof LibraryError) {
      // A script that sent the token gets the same page; only a browser is offered to log in again.
      if (error.code === 'unauthorized' && !bearerToken(c.req.header('Authorization'))) return send(c, loginPage(safeNext(c.req.path), error.message, 401));
      return send(c, libraryErrorPage(error));
    }
    console.error(`web: ${c.req.method} ${c.req.path} failed:`, error);
    return send(c, libraryErrorPage(new LibraryError('internal', 'The server could not do this. The error has been logged; please try again.')));
  });
  return app;
}
