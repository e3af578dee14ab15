import { html } from '../../html.js';
import { layout, type RenderedPage } from '../../layout.js';

/** GET /login: the token form. The token goes in the body of a POST, never in a URL. */
export function loginPage(next: string, error?: string, status: RenderedPage['status'] = 200): RenderedPage {
  const body = html`<h1>Log in to curate</h1>
<p>Adding, removing and re-labelling documents needs the token this server was started with (<code>--token</code> or <code>MCDEWEY_TOKEN</code>). Searching and reading need none.</p>
${error ? html`<div class="notice error" role="alert"><p>${error}</p></div>` : ''}
<form class="curate-form" method="post" action="/login">
  <input type="hidden" name="next" value="${next}">
  <label>Token <input type="password" name="token" id="token" required autocomplete="current-password" autofocus></label>
  <p class="hint">You stay logged in for 12 hours in this browser, or until you log out.</p>
  <div><button type="submit">Log in</button></div>
</form>`;
  return { status, body: layout({ title: 'Log in', body, section: 'curate', assets: ['curate.css'] }) };
}
