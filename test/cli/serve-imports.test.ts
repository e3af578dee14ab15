import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

/**
 * What `mcdewey serve` loads before it listens is on every cold start's path. The PostgreSQL client
 * is for a scale-out store only: an embedded library's server must not pay for loading it.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

test('the CLI, the serve command and the server load no PostgreSQL client until a store asks for it', () => {
  const script = `
    import { createRequire } from 'node:module';
    await import('./src/cli/main.ts');
    await import('./src/server/serve.ts');
    await import('./src/server/app.ts');
    const loaded = Object.keys(createRequire(import.meta.url).cache).filter((file) => /[\\\\/]node_modules[\\\\/]pg[\\\\/]/.test(file));
    console.log(JSON.stringify(loaded));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').at(-1)!), []);
});
