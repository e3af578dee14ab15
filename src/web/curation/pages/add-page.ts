import type { LabelSuggestions } from '../../../ingest/sources/url-labels.js';
import type { LibraryTree } from '../../../service/tree.js';
import { html, type SafeHtml } from '../../html.js';
import { layout, type RenderedPage } from '../../layout.js';
import { csrfField, labelDatalists, labelInputs, sessionBar, type LabelValues } from '../form-parts.js';
import type { Curator } from '../guard.js';

export interface WebFormValues extends LabelValues {
  url?: string;
  mode?: 'document' | 'site';
  include?: string;
  exclude?: string;
  maxPages?: string;
  maxDepth?: string;
  rate?: string;
  allowPrivate?: boolean;
  ignoreRobots?: boolean;
  replace?: boolean;
}

export interface AddPageState {
  /** What the web form was sent with, when it is shown again (a problem, or labels to confirm). */
  web?: WebFormValues;
  /** Labels read from the URL, offered when some were missing. */
  suggestions?: LabelSuggestions;
  error?: string;
  status?: RenderedPage['status'];
}

function uploadForm(curator: Curator): SafeHtml {
  return html`<form class="curate-form" method="post" action="/curate/upload" enctype="multipart/form-data">
  <h2>Upload files</h2>
  ${csrfField(curator)}
  <label>Files (PDF, HTML, Markdown or text; several at once)
    <input type="file" name="file" id="upload-files" multiple required accept=".pdf,.html,.htm,.xhtml,.md,.markdown,.mdx,.txt,.text,.rst"></label>
  ${labelInputs('upload', {})}
  <label class="check"><input type="checkbox" name="replace"> Replace a different document already filed under the same name</label>
  <div><button type="submit">Upload and add</button></div>
</form>`;
}

function webForm(curator: Curator, values: WebFormValues, suggestions: LabelSuggestions | undefined): SafeHtml {
  const site = values.mode !== 'document';
  const number = (name: string, label: string, value: string | undefined, min: number) =>
    html`<label>${label} <input type="number" name="${name}" min="${min}" value="${value ?? ''}"></label>`;
  return html`<form class="curate-form" method="post" action="/curate/web">
  <h2>Add a URL or a documentation site</h2>
  ${csrfField(curator)}
  <label>URL <input type="url" name="url" id="web-url" value="${values.url ?? ''}" required placeholder="https://docs.example.com/guide/"></label>
  <fieldset>
    <legend>What to add</legend>
    <label class="check"><input type="radio" name="mode" value="site" ${site ? html`checked` : ''}> The whole site from this page (its pages become one collection, in the site's order)</label>
    <label class="check"><input type="radio" name="mode" value="document" ${site ? '' : html`checked`}> Only this document (a PDF, a page, a Markdown or text file)</label>
  </fieldset>
  ${labelInputs('web', values, suggestions ?? {}, false)}
  <p class="hint">Leave a label empty to have one suggested from the URL.</p>
  <label class="check"><input type="checkbox" name="allow_private" ${values.allowPrivate ? html`checked` : ''}> Allow addresses on this machine and private networks (a server or mirror you run)</label>
  <details ${values.include || values.exclude || values.maxPages || values.maxDepth || values.rate || values.ignoreRobots ? html`open` : ''}>
    <summary>Scope and safety (sites)</summary>
    <div class="row">
      <label>Only URLs matching (one glob per line) <textarea name="include" placeholder="/docs/guide/**">${values.include ?? ''}</textarea></label>
      <label>Never URLs matching <textarea name="exclude" placeholder="/docs/**/archive/**">${values.exclude ?? ''}</textarea></label>
    </div>
    <div class="row">
      ${number('max_pages', 'Most pages', values.maxPages, 1)}
      ${number('max_depth', 'Most link hops', values.maxDepth, 0)}
      ${number('rate', 'Requests per second (0: no limit)', values.rate, 0)}
    </div>
    <label class="check"><input type="checkbox" name="ignore_robots" ${values.ignoreRobots ? html`checked` : ''}> Ignore robots.txt (only for sites you run or may copy)</label>
  </details>
  <label class="check"><input type="checkbox" name="replace" ${values.replace ? html`checked` : ''}> Replace different documents already filed under the same names</label>
  <div><button type="submit">Add</button></div>
</form>`;
}

/** GET /curate: add documents by upload, by URL, or by crawling a site; labels suggested from the library. */
export function addPage(tree: LibraryTree, curator: Curator, state: AddPageState = {}): RenderedPage {
  const notice = state.error
    ? html`<div class="notice error" role="alert"><p>${state.error}</p>${state.suggestions ? html`<p>The labels below were read from the URL; check them and send the form again.</p>` : ''}</div>`
    : '';
  const body = html`<h1>Add documents</h1>
${sessionBar(curator)}
<p>Each addition runs as a job: you follow its progress on the <a href="/jobs">jobs page</a> and can leave this page meanwhile. <a href="/curate/library">Manage the library</a> to re-label, refresh or remove what is there.</p>
${notice}
${labelDatalists(tree)}
${webForm(curator, state.web ?? {}, state.suggestions)}
${uploadForm(curator)}`;
  return { status: state.status ?? 200, body: layout({ title: 'Add documents', body, section: 'curate', assets: ['curate.css'] }) };
}
