import type { ErrorStatus } from '../http/error-envelope.js';
import { packageVersion } from '../version.js';
import { html, type SafeHtml } from './html.js';
import { assetHref, type AssetName } from './static-assets.js';

export type Section = 'search' | 'library' | 'curate';

/** What a page handler produces: the HTTP status and the whole HTML document. */
export interface RenderedPage {
  status: 200 | ErrorStatus;
  body: string;
}

export interface LayoutOptions {
  /** The page's own title; " · McDewey" is appended. */
  title: string;
  body: SafeHtml;
  /** The navigation entry to mark as current. */
  section?: Section;
  /**
   * Pages whose main content is a search form leave the header's box out, so that a page never
   * has two query fields.
   */
  headerSearch?: boolean;
  /** Text to keep in the header's search box. */
  query?: string;
  /** Extra assets of this page (the curation pages' script and styles). */
  assets?: readonly AssetName[];
  /** Extra elements for <head> (a status page's refresh without JavaScript). */
  head?: SafeHtml;
}

const TAGLINE = 'Multi-vendor documentation library · semantic search · MCP endpoint at /mcp';

function navLink(href: string, label: string, current: boolean): SafeHtml {
  return current ? html`<li><a href="${href}" aria-current="page">${label}</a></li>` : html`<li><a href="${href}">${label}</a></li>`;
}

function headerSearchForm(query: string | undefined): SafeHtml {
  return html`<form class="header-search" role="search" action="/search" method="get">
        <label for="header-q" class="visually-hidden">Search the library</label>
        <input type="search" id="header-q" name="q" value="${query ?? ''}" placeholder="Search the library (press /)" accesskey="s" autocomplete="off">
        <button type="submit">Search</button>
      </form>`;
}

const SHORTCUTS: readonly [keys: string[], what: string][] = [
  [['/'], 'Search'],
  [['j', '↓'], 'Next result'],
  [['k', '↑'], 'Previous result'],
  [['Enter'], 'Open the result\'s chunk page'],
  [['o'], 'Open the result in its document'],
  [['c'], 'Copy the result\'s citation'],
  [['Esc'], 'Back to the search box'],
  [['?'], 'Show or hide these shortcuts'],
];

/** The keyboard help the script opens with "?"; without the script there are no shortcuts to list. */
function shortcutHelp(): SafeHtml {
  const rows = SHORTCUTS.map(([keys, what]) => html`<tr><th scope="row">${keys.map((k, i) => html`${i > 0 ? ' or ' : ''}<kbd>${k}</kbd>`)}</th><td>${what}</td></tr>`);
  return html`<dialog id="shortcut-help" aria-labelledby="shortcut-help-title">
  <h2 id="shortcut-help-title">Keyboard shortcuts</h2>
  <table class="shortcuts"><tbody>${rows}</tbody></table>
  <p><button type="button" class="close-dialog">Close</button></p>
</dialog>`;
}

/** The page frame every web page shares: header as in the seed page, navigation, main, footer. */
export function layout(options: LayoutOptions): string {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · McDewey</title>
<link rel="stylesheet" href="${assetHref('app.css')}">
<link rel="icon" type="image/svg+xml" href="${assetHref('favicon.svg')}">
<script src="${assetHref('app.js')}" defer></script>
${(options.assets ?? []).map((name) => (name.endsWith('.js') ? html`<script src="${assetHref(name)}" defer></script>` : html`<link rel="stylesheet" href="${assetHref(name)}">`))}
${options.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
  <div class="bar">
    <p class="brand"><a href="/">McDewey</a><span class="tagline">${TAGLINE}</span></p>
    <nav class="site-nav" aria-label="Main">
      <ul>
        ${navLink('/search', 'Search', options.section === 'search')}
        ${navLink('/library', 'Library', options.section === 'library')}
        ${navLink('/curate', 'Curate', options.section === 'curate')}
        ${navLink('/api/openapi.json', 'API docs', false)}
      </ul>
    </nav>
    ${options.headerSearch === false ? '' : headerSearchForm(options.query)}
  </div>
</header>
<main id="main" tabindex="-1">
${options.body}
</main>
<footer class="site-footer">
  McDewey ${packageVersion()} · REST API at <code>/api</code> (<a href="/api/openapi.json">OpenAPI</a>) · MCP endpoint at <code>/mcp</code><span class="key-hint"> · <kbd>?</kbd> keyboard shortcuts</span>
</footer>
${shortcutHelp()}
<p id="live-status" class="toast" role="status" aria-live="polite"></p>
</body>
</html>
`;
  return page.value;
}
