import type { JobItem, JobView } from '../../../service/jobs/job-queue.js';
import { FINISHED } from '../../../service/jobs/job-queue.js';
import type { JobRequest } from '../../../service/jobs/job-request.js';
import { html, type SafeHtml } from '../../html.js';
import { layout, type RenderedPage } from '../../layout.js';
import { csrfField, sessionBar } from '../form-parts.js';
import type { Curator } from '../guard.js';

/** Seconds a status page waits before it refreshes itself when JavaScript is off. */
const REFRESH_SECONDS = 2;

/** What a job works on, in a few words. */
export function describeRequest(request: JobRequest): string {
  switch (request.kind) {
    case 'add-site':
      return `crawl ${request.url}`;
    case 'add-url':
      return `fetch ${request.url}`;
    case 'add-upload':
      return `upload ${request.files.map((f) => f.name).join(', ')}`;
    case 'add-paths':
      return `add ${request.paths.join(', ')}`;
    case 'refresh':
      return `refresh ${[request.product, request.version, request.source].filter(Boolean).join(' ') || 'the library'}`;
    case 'reindex':
      return 're-index the library';
    case 'relabel':
      return `re-label ${[request.product, request.version].filter(Boolean).join(' ')}`;
  }
}

const jobHref = (job: JobView) => `/jobs/${job.id}`;

/** GET /jobs: the newest jobs, refreshing itself while any of them runs. */
export function jobsPage(jobs: JobView[], curator: Curator): RenderedPage {
  const rows = jobs.map((job) => html`<tr>
    <td><a href="${jobHref(job)}"><code>${job.id}</code></a></td>
    <td><span class="${`status ${job.status}`}">${job.status}</span></td>
    <td>${describeRequest(job.request)}</td>
    <td>${job.summary ?? job.error ?? `${job.progress.items.done} item(s) so far`}</td>
    <td>${job.createdAt.replace('T', ' ').slice(0, 19)}</td>
  </tr>`);
  const running = jobs.some((job) => !FINISHED.has(job.status));
  const body = html`<h1>Jobs</h1>
${sessionBar(curator)}
<p><a href="/curate">Add documents</a> · <a href="/curate/library">Manage the library</a></p>
${jobs.length === 0 ? html`<p>No jobs yet.</p>` : html`<div class="table-wrap"><table class="docs">
  <thead><tr><th scope="col">Job</th><th scope="col">Status</th><th scope="col">What</th><th scope="col">Outcome</th><th scope="col">Started (UTC)</th></tr></thead>
  <tbody>${rows}</tbody>
</table></div>`}`;
  return { status: 200, body: layout({ title: 'Jobs', body, section: 'curate', assets: ['curate.css'], ...(running ? { head: refreshWithoutScript() } : {}) }) };
}

function refreshWithoutScript(): SafeHtml {
  return html`<noscript><meta http-equiv="refresh" content="${REFRESH_SECONDS}"></noscript>`;
}

function itemRow(item: JobItem): SafeHtml {
  return html`<tr data-seq="${item.seq}" ${item.status === 'failed' ? html`class="failed"` : ''}>
    <td>${item.status}</td><td>${item.item}</td><td>${item.docId ? html`<a href="${`/doc/${encodeURIComponent(item.docId)}`}"><code>${item.docId}</code></a>` : ''}</td><td>${item.message ?? item.warnings.join('; ')}</td>
  </tr>`;
}

/**
 * GET /jobs/:id: the job's progress, its errors and what became of each item. With JavaScript the
 * figures follow the job's events live; without, the page refreshes itself until the job ends.
 */
export function jobPage(job: JobView, items: JobItem[], curator: Curator): RenderedPage {
  const p = job.progress;
  const ended = FINISHED.has(job.status);
  const count = p.items.total === null ? `${p.items.done}` : `${p.items.done} of ${p.items.total}`;
  const bar = p.items.total ? html`<progress max="${p.items.total}" value="${p.items.done}">${count}</progress>` : html`<progress>${count}</progress>`;
  const outcomes = Object.entries(p.outcomes).map(([status, n]) => `${n} ${status}`).join(', ');
  const body = html`<h1>Job <code>${job.id}</code></h1>
${sessionBar(curator)}
<p><a href="/jobs">All jobs</a> · <a href="/curate">Add documents</a></p>
<section class="job-panel" data-job-events="${`/api/jobs/${job.id}/events`}" data-status="${job.status}" aria-live="polite">
  <p><span class="status" data-field="status">${job.status}</span> ${describeRequest(job.request)}${job.attempts > 1 ? ` (resumed ${job.attempts - 1} time${job.attempts > 2 ? 's' : ''} after an interruption)` : ''}</p>
  ${ended ? '' : bar}
  <dl>
    <dt>Items</dt><dd data-field="items">${count}</dd>
    <dt>Outcomes</dt><dd data-field="outcomes">${outcomes || '—'}</dd>
    <dt>Pages added</dt><dd data-field="pages">${p.pages}</dd>
    <dt>Chunks</dt><dd data-field="chunks">${p.chunks}</dd>
    <dt>Embedded</dt><dd data-field="embedded">${p.embedded.total ? `${p.embedded.done} of ${p.embedded.total}` : '0'}</dd>
    <dt>Rate</dt><dd data-field="rate">${p.pagesPerSecond === undefined ? '…' : `${p.pagesPerSecond} pages/s, ${p.itemsPerSecond} items/s`}</dd>
    ${ended ? '' : html`<dt>Time left</dt><dd data-field="eta">${p.etaSeconds === undefined ? '…' : `${p.etaSeconds} s`}</dd>
    <dt>Now</dt><dd data-field="current">${p.current ?? ''}</dd>`}
    <dt>Outcome</dt><dd data-field="summary">${job.summary ?? (ended ? '' : 'running…')}</dd>
    ${job.error ? html`<dt>Error</dt><dd class="notice error" data-field="error">${job.error}</dd>` : ''}
  </dl>
  ${ended ? '' : html`<form class="cancel-job" method="post" action="${`/jobs/${job.id}/cancel`}">${csrfField(curator)}<button type="submit" class="danger-button">Cancel</button>
    <span class="hint">A running job stops after its current item; what it added stays.</span></form>`}
</section>
<h2>Items</h2>
<div class="table-wrap"><table class="docs items" data-job-items>
  <thead><tr><th scope="col">Outcome</th><th scope="col">Item</th><th scope="col">Document</th><th scope="col">Error or warnings</th></tr></thead>
  <tbody>${items.map(itemRow)}</tbody>
</table></div>
${items.length === 0 ? html`<p data-job-items-empty>Nothing finished yet.</p>` : ''}`;
  return {
    status: 200,
    body: layout({ title: `Job ${job.id}`, body, section: 'curate', assets: ['curate.css', 'curate.js'], ...(ended ? {} : { head: refreshWithoutScript() }) }),
  };
}
