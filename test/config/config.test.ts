import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, envName, flagName, loadConfig } from '../../src/config/config.js';
import { renderConfigReference } from '../../src/config/reference.js';
import { REPO_ROOT } from '../support/corpus.js';

test('names are derived from the schema keys', () => {
  assert.equal(envName('data'), 'MCDEWEY_DATA');
  assert.equal(envName('embedderApiKey'), 'MCDEWEY_EMBEDDER_API_KEY');
  assert.equal(flagName('publicUrl'), '--public-url');
});

test('flags win over the environment, the environment over defaults', () => {
  const env = { MCDEWEY_DATA: '/env/data', MCDEWEY_PORT: '9000', MCDEWEY_HOST: '' };
  const config = loadConfig({ data: '/flag/data' }, env);
  assert.equal(config.data, '/flag/data');
  assert.equal(config.port, 9000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.embedder, undefined, 'unset: the library decides (see service/embedder-choice.ts)');
});

test('invalid settings name the flag and the variable', () => {
  assert.throws(() => loadConfig({ port: '99999' }, {}), (e: unknown) => e instanceof ConfigError && /--port \/ MCDEWEY_PORT/.test(e.message));
  assert.throws(() => loadConfig({ token: 'short' }, {}), /--token \/ MCDEWEY_TOKEN/);
});

test('docs/configuration.md is generated from the schema and up to date', () => {
  const onDisk = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'configuration.md'), 'utf8');
  assert.equal(onDisk, renderConfigReference(), 'run `npm run docs:config`');
});
