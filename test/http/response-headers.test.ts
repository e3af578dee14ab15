import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { securityHeaders } from '../../src/http/security.js';
import { cors, corsPolicy } from '../../src/http/cors.js';

const ALLOWED = 'https://app.example.com';

function app(handler: (c: import('hono').Context) => Response, seen: { response?: Response }): Hono {
  const hono = new Hono();
  hono.use('*', securityHeaders());
  hono.use('*', cors(corsPolicy(ALLOWED), ['GET']));
  hono.get('/x', (c) => (seen.response = handler(c)));
  return hono;
}

describe('headers set after the handler', () => {
  it('go onto the handler’s own response, which is not rebuilt around a stream', async () => {
    const seen: { response?: Response } = {};
    const response = await app((c) => c.json({ ok: true }), seen).request('/x', { headers: { origin: ALLOWED } });
    assert.equal(response, seen.response, 'the response the handler made is the one sent');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(response.headers.get('vary'), 'Origin');
    assert.equal(response.headers.get('access-control-allow-origin'), ALLOWED);
    assert.equal(response.headers.get('content-security-policy'), null, 'a CSP only on HTML');
    assert.deepEqual(await response.json(), { ok: true });
  });

  it('add the CSP to HTML and append to a Vary the handler set', async () => {
    const response = await app((c) => {
      c.header('Vary', 'Accept');
      return c.html('<p>hi</p>');
    }, {}).request('/x');
    assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(response.headers.get('vary'), 'Accept, Origin');
  });

  it('still reach a response whose headers cannot change (one rebuilt around it instead)', async () => {
    const response = await app(() => Response.redirect('http://127.0.0.1/elsewhere', 302), {}).request('/x');
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), 'http://127.0.0.1/elsewhere');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('vary'), 'Origin');
  });
});
