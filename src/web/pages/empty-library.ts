import { html, type SafeHtml } from '../html.js';

/** What an empty library shows: exactly how to add documents. */
export function emptyLibraryHelp(): SafeHtml {
  return html`<section class="notice" aria-labelledby="empty-title">
  <h2 id="empty-title">The library is empty</h2>
  <p>Add documents from the command line; they can be searched here as soon as they are indexed.</p>
  <pre class="command"><code>mcdewey add &lt;file|folder&gt; --vendor … --product … --version …</code></pre>
  <p>A folder laid out as <code>&lt;vendor&gt;/&lt;product&gt;/&lt;version&gt;/&lt;file&gt;</code> is labelled from its layout:</p>
  <pre class="command"><code>mcdewey add ../shared/corpus/pdf</code></pre>
  <p>For example: <code>mcdewey add guide.pdf --vendor Cisco --product finesse --version "12.5(1)"</code></p>
</section>`;
}
