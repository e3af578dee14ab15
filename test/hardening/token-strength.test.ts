import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { runCli } from '../support/cli.js';

/**
 * The token that guards /mcp and every write is refused at start when it is only whitespace,
 * shorter than 16 characters or holds spaces or control characters, from the flag and from the
 * environment alike, with a message that says how to make a good one; the commands it suggests
 * make tokens that are accepted.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-token-'));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

const ADVICE = /--token \/ MCDEWEY_TOKEN: a token must be at least 16 characters with no spaces or control characters; make a good one with `openssl rand -hex 32` or `node -e "console\.log\(crypto\.randomBytes\(32\)\.toString\('hex'\)\)"`/;
const WEAK = [' '.repeat(16), ' '.repeat(64), '\t'.repeat(20), '\u00a0'.repeat(20), `${' '.repeat(8)}\n${' '.repeat(8)}`, 'short', '0123456789abcde', 'correct horse battery staple', `token-with-a-nul-\0-0123`];

test('weak tokens are refused from the flag and the environment, with how to make a good one', () => {
  for (const token of WEAK) {
    assert.throws(() => loadConfig({ token }, {}), ADVICE, JSON.stringify(token));
    assert.throws(() => loadConfig({}, { MCDEWEY_TOKEN: token }), ADVICE, JSON.stringify(token));
  }
});

test('tokens made the suggested ways are accepted', () => {
  const made = [execSync('node -e "console.log(crypto.randomBytes(32).toString(\'hex\'))"', { encoding: 'utf8' }).trim(), '0123456789abcdef'];
  for (const token of made) assert.equal(loadConfig({ token }, {}).token, token);
});

test('`mcdewey serve` with a whitespace token or MCDEWEY_TOKEN stops before listening', () => {
  const data = path.join(sandbox, 'data');
  for (const [args, env] of [[['--token', ' '.repeat(32)], {}], [[], { MCDEWEY_TOKEN: ' '.repeat(32) }]] as const) {
    const result = runCli(['--data', data, '--embedder', 'none', 'serve', '--port', '0', ...args], { env, timeoutMs: 60_000 });
    assert.equal(result.status, 1, `serve must refuse to start: ${result.stderr}`);
    assert.match(result.stderr, ADVICE);
    assert.doesNotMatch(result.stderr, /McDewey serving/);
  }
});
