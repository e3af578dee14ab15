// Installs the off-the-shelf MCP clients the tests run (tools/mcp-clients) when they are missing
// or older than their lockfile. Runs before `npm test`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const dir = new URL('../tools/mcp-clients/', import.meta.url);
const lock = new URL('package-lock.json', dir);
const installed = new URL('node_modules/.package-lock.json', dir);
const fresh = fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
if (!fresh) {
  process.stderr.write('Installing MCP test clients into tools/mcp-clients …\n');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', 'tools/mcp-clients'], {
    cwd: new URL('..', import.meta.url),
    stdio: 'inherit',
    env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' },
  });
}
