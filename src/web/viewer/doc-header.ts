/**
 * The viewer's header: where the document sits (vendor / product / version and its section trail),
 * its title, and where the reader is in it (page, or section) with the way back and forth. It stays
 * on screen while the text scrolls, so "View in doc context" never loses the title, version or page.
 */
import type { DocumentInfo } from '../../service/library.js';
import { html, type SafeHtml } from '../html.js';
import { productAnchor } from '../links.js';
import { shelfLabel } from '../page-labels.js';

export interface DocHeaderParts {
  /** "Page 8 of 28" or "Section: …", as the page's h2. */
  position: SafeHtml;
  /** Previous/next page or section, jump form, document neighbours. */
  navigation: SafeHtml;
}

export function docHeader(document: DocumentInfo, parts: DocHeaderParts): SafeHtml {
  const trail = document.navigation?.trail ?? [];
  return html`<header class="doc-header">
  <p class="breadcrumb"><a href="/library#${productAnchor(document.key.product)}">${shelfLabel(document)}</a>${trail.length > 0 ? html` <span class="trail">› ${trail.join(' › ')}</span>` : ''}</p>
  <h1>${document.title}</h1>
  <div class="doc-position">
    ${parts.position}
    ${parts.navigation}
  </div>
</header>`;
}
