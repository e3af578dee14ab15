import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, mock, test } from 'node:test';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { LibraryError } from '../../src/library/errors.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { REPO_ROOT } from '../support/corpus.js';
import { mcdewey } from './library-state.js';

/**
 * The CLI and the servers tell the truth: output through a pipe is never cut short (the CLI used
 * to exit before stdout drained, losing all but the first 64 KB with exit code 0), a reader that
 * goes away is not a crash, REST and MCP errors never show absolute server paths, a full disk
 * while an upload is staged answers 507 "disk full" rather than 500, and a write-ahead log
 * deleted under a running process gives the next process a hint instead of "disk I/O error".
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-truth-'));
const data = path.join(sandbox, 'data');
const TOKEN = 'truthful-output-token-0123456789';
const DOCUMENTS = 250;
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

before(async () => {
  const sources = path.join(sandbox, 'sources');
  fs.mkdirSync(sources);
  for (let i = 0; i < DOCUMENTS; i++) {
    // Long titles (cut to LIMITS.headingChars when indexed) make `list --json` about 170 KB: several
    // times what a pipe buffers (64 KB on Linux).
    fs.writeFileSync(path.join(sources, `note-${i}.md`), `# Maintenance note ${i} ${'for the widget controller '.repeat(150)}\n\nReplace filter ${i} every ${i + 1} days.\n`);
  }
  const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
  try {
    const results = await library.add(library.plan([sources], { vendor: 'Acme', product: 'widget', version: '1.0' }));
    assert.ok(results.every((r) => r.status === 'added'));
  } finally {
    await library.close();
  }
});

/**
 * Runs the CLI with stdout on a real pipe (as in `mcdewey list --json | jq`; Node's own child
 * pipes are socket pairs with far larger buffers) read by `reader`, a shell command, and returns
 * what the reader printed, the CLI's stderr and the CLI's exit status.
 */
function throughPipe(args: string[], reader: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const cli = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', '--data', data, '--embedder', 'none', ...args];
    const script = `"$@" | ${reader}; exit \${PIPESTATUS[0]}`;
    const child = spawn('bash', ['-c', script, 'bash', ...cli], { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

describe('the CLI', { concurrency: true }, () => {
  test('list --json (170 KB) through a pipe read late arrives whole and exits 0', async () => {
    // The reader starts late, so the pipe is full (64 KB) when the CLI has written everything.
    const { status, stdout, stderr } = await throughPipe(['list', '--json'], '(sleep 1; cat)');
    assert.equal(status, 0, stderr);
    assert.ok(stdout.length > 150_000, `${stdout.length} bytes`);
    assert.equal((JSON.parse(stdout) as { documents: number }).documents, DOCUMENTS);
  });

  test('a reader that closes the pipe early is not a crash: no stack trace, the exit code of the command', async () => {
    const { status, stdout, stderr } = await throughPipe(['list', '--json'], 'head -c 100');
    assert.equal(stdout.length, 100);
    assert.equal(status, 0, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error|at .*\.ts:\d+/);
  });

  test('a deleted write-ahead log: the next process is told what probably happened and what to do', async () => {
    const held = path.join(sandbox, 'held');
    const source = path.join(sandbox, 'held-source.md');
    fs.writeFileSync(source, '# Held\n\nA document written while the log is held open.\n');
    assert.equal(mcdewey(held, ['list']).status, 0);
    const holder = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test', 'hardening', 'hold-library-open.ts'), held, source], { cwd: REPO_ROOT });
    try {
      await new Promise<void>((resolve, reject) => {
        let output = '';
        holder.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('ready')) resolve();
        });
        holder.on('exit', (code) => reject(new Error(`the holder exited with ${code}`)));
      });
      fs.rmSync(path.join(held, 'index.sqlite-wal'));
      const listed = mcdewey(held, ['list']);
      assert.equal(listed.status, 1);
      assert.match(listed.stderr, /disk I\/O error.*SQLITE_IOERR/);
      assert.match(listed.stderr, /its write-ahead log \(index\.sqlite-wal\) may have been deleted under it: stop those processes and run the command again/);
    } finally {
      holder.stdin.end();
      holder.kill();
    }
  });
});

describe('the servers', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer(loadConfig({ data, embedder: 'none', port: 0, token: TOKEN }, {}));
  });
  after(async () => server?.close());

  /** Calls an MCP tool over the real endpoint and returns the text of its first content item. */
  async function callTool(name: string, args: Record<string, unknown>): Promise<{ isError?: boolean; text: string }> {
    const response = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
    });
    const raw = await response.text();
    const json = raw.startsWith('{') ? raw : raw.split('\n').find((line) => line.startsWith('data: '))!.slice(6);
    const { result } = JSON.parse(json) as { result: { isError?: boolean; content: { text: string }[] } };
    return { ...(result.isError === undefined ? {} : { isError: result.isError }), text: result.content[0]!.text };
  }

  test('REST and MCP errors never contain absolute server paths, whatever the error carries', async () => {
    const library = server.ctx.library;
    const failures = [
      new LibraryError('unavailable', `the index ${library.dir.indexFile} holds no documents`, `Run \`mcdewey reindex --data ${library.dir.root}\``),
      Object.assign(new Error(`EACCES: permission denied, open '${library.dir.libraryDir}/widget/1.0/x.md'`), { code: 'EACCES' }),
      Object.assign(new Error(`SQLITE_IOERR: disk I/O error reading /var/lib/mcdewey/index.sqlite`), { code: 'SQLITE_IOERR_SHORT_READ' }),
      new LibraryError('not_found', 'no such thing at C:\\Users\\admin\\mcdewey\\x.md or \\\\fileserver\\share\\x'),
    ];
    for (const failure of failures) {
      mock.method(library, 'search', async () => {
        throw failure;
      });
      try {
        const rest = await fetch(`${server.url}/api/search?q=filter`);
        const body = await rest.text();
        const mcp = await callTool('search_docs', { query: 'filter' });
        for (const [surface, text] of [['REST', body], ['MCP', mcp.text]] as const) {
          assert.doesNotMatch(text, new RegExp(`${sandbox}|/var/lib|C:\\\\|\\\\\\\\fileserver`), `${surface}: ${text}`);
        }
        assert.equal(mcp.isError, true);
      } finally {
        mock.restoreAll();
      }
    }
    // What stays: the message, with a placeholder where the path was.
    mock.method(library, 'search', async () => {
      throw failures[0];
    });
    try {
      const answer = (await (await fetch(`${server.url}/api/search?q=filter`)).json()) as { error: { message: string; hint: string } };
      assert.equal(answer.error.message, 'the index <path> holds no documents');
      assert.equal(answer.error.hint, 'Run `mcdewey reindex --data <path>`');
    } finally {
      mock.restoreAll();
    }
  });

  test('an upload that fails on a server path (a file where its folder goes) says what failed without the path', async () => {
    // A real failure on the server's disk: the upload runs as a job on the server's job thread,
    // which a mock in this thread would not reach.
    const blocker = path.join(server.ctx.library.dir.libraryDir, 'gadget');
    fs.writeFileSync(blocker, 'not a folder');
    try {
      const form = new FormData();
      form.set('file', new File(['# W2\n\nGadget two.\n'], 'w2.md'));
      for (const [k, v] of Object.entries({ vendor: 'Acme', product: 'gadget', version: '1.0' })) form.set(k, v);
      const response = await fetch(`${server.url}/api/documents?wait=1`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
      const text = await response.text();
      assert.equal(response.status, 422, text);
      assert.match(text, /E(NOTDIR|EXIST)[^"]*'<path>'/);
      assert.doesNotMatch(text, new RegExp(sandbox));
    } finally {
      fs.rmSync(blocker, { force: true });
    }
  });
});

test('a full disk while an upload is staged answers 507 "disk full", cleans up, and the library keeps working', { skip: cannotMount() }, async () => {
  const point = path.join(sandbox, 'small-disk');
  fs.mkdirSync(point);
  assert.equal(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', point]).status, 0);
  let server: RunningServer | undefined;
  try {
    const small = path.join(point, 'data');
    server = await startServer(loadConfig({ data: small, embedder: 'none', port: 0, token: TOKEN }, {}));
    const form = new FormData();
    form.set('file', new File([Buffer.alloc(3 * 1024 * 1024, 'a')], 'huge.txt'));
    for (const [k, v] of Object.entries({ vendor: 'Acme', product: 'widget', version: '1.0' })) form.set(k, v);
    const response = await fetch(`${server.url}/api/documents?wait=1`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: form });
    const body = (await response.json()) as { error: { code: string; message: string; hint: string } };
    assert.equal(response.status, 507, JSON.stringify(body));
    assert.deepEqual(body.error, { code: 'disk_full', message: 'the disk holding the library on the server is full', hint: 'Ask the operator to free space on the server, then retry' });
    // Uploads are staged under uploads/<job id>/ (and conversions under tmp/): nothing is left of it.
    for (const staging of ['uploads', 'tmp']) {
      const folder = path.join(small, staging);
      assert.deepEqual(fs.existsSync(folder) ? fs.readdirSync(folder) : [], [], `the partial upload is gone from ${staging}/`);
    }
    assert.equal((await fetch(`${server.url}/api/search?q=widget`)).status, 200);
  } finally {
    await server?.close();
    spawnSync('umount', ['-l', point]);
  }
});

/** Why a tmpfs cannot be mounted here (not root, no CAP_SYS_ADMIN), or false when it can. */
function cannotMount(): string | false {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-mount-probe-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { encoding: 'utf8' });
  if (result.status === 0) spawnSync('umount', [probe]);
  fs.rmSync(probe, { recursive: true, force: true });
  return result.status === 0 ? false : `cannot mount a tmpfs here (${(result.stderr || result.error?.message || '').trim()}); needs root or CAP_SYS_ADMIN`;
}
