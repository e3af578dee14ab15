import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Sessions, sessionCookie, sessionCookieValue } from '../../src/http/session.js';

const TOKEN = 'session-test-token-0123456789';

test('a session proves the token without holding it, and dies when forged, expired, revoked or the token changes', () => {
  const sessions = new Sessions(TOKEN);
  const { session, value } = sessions.issue(1_000);
  assert.ok(!value.includes(TOKEN));
  assert.deepEqual(sessions.verify(value, 2_000), session);
  const [id, expires, signature] = value.split('.');
  assert.equal(sessions.verify(`${id}.${Number(expires) + 1}.${signature}`, 2_000), undefined, 'a longer life cannot be forged');
  assert.equal(sessions.verify(`${id}.${expires}.${signature}x`, 2_000), undefined);
  assert.equal(sessions.verify(value, session.expires), undefined, 'expired');
  assert.equal(new Sessions(`${TOKEN}-new`).verify(value, 2_000), undefined, 'a new token ends every session');
  assert.equal(sessions.verify(undefined), undefined);
  assert.equal(sessions.verify('a.b.c.d'), undefined);
  sessions.revoke(session, 2_000);
  assert.equal(sessions.verify(value, 3_000), undefined, 'logged out');
});

test('a CSRF token belongs to its session', () => {
  const sessions = new Sessions(TOKEN);
  const a = sessions.issue().session;
  const b = sessions.issue().session;
  assert.equal(sessions.checkCsrf(a, sessions.csrf(a)), true);
  assert.equal(sessions.checkCsrf(a, sessions.csrf(b)), false);
  assert.equal(sessions.checkCsrf(a, undefined), false);
  assert.equal(sessions.checkCsrf(a, ''), false);
});

test('the cookie is HttpOnly and SameSite=Strict, Secure over https, and read back from a Cookie header', () => {
  assert.equal(sessionCookie('v', false), 'mcdewey_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200');
  assert.match(sessionCookie('v', true), /; Secure$/);
  assert.match(sessionCookie('', false, 0), /^mcdewey_session=; .*Max-Age=0/);
  assert.equal(sessionCookieValue('theme=dark; mcdewey_session=abc.1.x=y; other=1'), 'abc.1.x=y');
  assert.equal(sessionCookieValue(undefined), undefined);
});
