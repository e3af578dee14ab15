#!/usr/bin/env node
// `npm run demo`: fills a library with something to search, then serves it. The sample vendor PDFs
// are used when the shared corpus sits beside the repository (../shared/corpus/pdf); a plain clone
// has none, so it gets McDewey's own documentation instead. The output says which. Settings come
// from the environment as for any command (MCDEWEY_DATA, MCDEWEY_PORT, MCDEWEY_EMBEDDER, ...);
// MCDEWEY_DEMO_CORPUS points at another folder of PDFs laid out as <vendor>/<product>/<version>/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(repo, 'bin', 'mcdewey.js');
const corpus = path.resolve(repo, process.env.MCDEWEY_DEMO_CORPUS ?? path.join('..', 'shared', 'corpus', 'pdf'));
const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** Runs the CLI with the terminal attached; resolves with its exit code. */
function mcdewey(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repo, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

let add;
if (fs.existsSync(corpus)) {
  console.error(`Demo library: the sample vendor PDFs in ${corpus}`);
  add = ['add', corpus];
} else {
  const own = ['README.md', 'ARCHITECTURE.md', 'SECURITY.md', 'docs'].map((name) => path.join(repo, name)).filter((file) => fs.existsSync(file));
  console.error(`Demo library: McDewey's own documentation (${own.map((file) => path.relative(repo, file)).join(', ')}), because there is no sample corpus at ${corpus}`);
  add = ['add', ...own, '--vendor', 'McDewey', '--product', 'mcdewey', '--version', version, '--collection', 'documentation'];
}

const added = await mcdewey(add);
if (added !== 0) {
  console.error(`mcdewey add failed (exit ${added}); the server was not started. See the messages above.`);
  process.exit(added);
}
process.exit(await mcdewey(['serve']));
