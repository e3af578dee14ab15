import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../support/corpus.js';

/**
 * `npm run demo` from a plain clone: a copy of the repository with no ../shared beside it (node_modules
 * linked, as `npm ci` would have made it) adds McDewey's own documentation, says so, and serves it.
 */
const PARTS = ['bin', 'scripts', 'src', 'docs', 'README.md', 'ARCHITECTURE.md', 'SECURITY.md', 'package.json', 'tsconfig.json'];

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-clone-'));
let demo: ChildProcess | undefined;
after(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo!.once('exit', resolve));
    demo.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(workspace, { recursive: true, force: true });
});

test('without ../shared the demo serves McDewey\'s own documentation and says so', { timeout: 180_000 }, async () => {
  const clone = path.join(workspace, 'mcdewey');
  fs.mkdirSync(clone);
  for (const part of PARTS) fs.cpSync(path.join(REPO_ROOT, part), path.join(clone, part), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  assert.equal(fs.existsSync(path.join(workspace, 'shared')), false);

  const env: NodeJS.ProcessEnv = { ...process.env, MCDEWEY_DATA: path.join(workspace, 'data'), MCDEWEY_EMBEDDER: 'none', MCDEWEY_PORT: '0', NO_COLOR: '1' };
  delete env['MCDEWEY_DEMO_CORPUS'];
  demo = spawn(process.execPath, ['scripts/demo.mjs'], { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout!.setEncoding('utf8').on('data', (text: string) => (output += text));
  demo.stderr!.setEncoding('utf8').on('data', (text: string) => (output += text));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${output}`)), 150_000);
    const check = () => {
      const found = /web UI\s+(http:\/\/\S+?)\/\n/.exec(output)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    demo!.stdout!.on('data', check);
    demo!.stderr!.on('data', check);
    demo!.once('exit', (code) => reject(new Error(`the demo exited (${code}) before serving:\n${output}`)));
  });

  assert.match(output, /Demo library: McDewey's own documentation \(README\.md, ARCHITECTURE\.md, SECURITY\.md, docs\), because there is no sample corpus at .*shared.corpus.pdf/);
  const search = await (await fetch(`${url}/api/search?q=reindex`)).json() as { hits: { product: string; source_path: string }[] };
  assert.ok(search.hits.length > 0, 'its own documentation answers');
  assert.ok(search.hits.every((hit) => hit.product === 'mcdewey'));
  const home = await (await fetch(`${url}/`)).text();
  assert.match(home, /McDewey/);
  assert.doesNotMatch(home, /The library is empty/);
});
