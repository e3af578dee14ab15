import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../support/corpus.js';
import { startMcpTestServer, type McpTestServer } from './support/mcp-server.js';
import { CONFORMANCE_SUITE as SUITE, NODE22, missingTools } from './support/mcp-tools.js';

/**
 * The official MCP conformance suite against the real /mcp endpoint, for the generic scenarios
 * (the others test the suite's own fixture tools). Checks only the suite's fixture server could
 * pass are listed, each with its reason, in conformance-expected-failures.yaml.
 */
const skip = missingTools(NODE22, SUITE);
const EXPECTED_FAILURES = path.join(REPO_ROOT, 'test/mcp/conformance-expected-failures.yaml');

const SCENARIOS: Record<string, string[]> = {
  '2025-11-25': ['server-initialize', 'ping', 'tools-list', 'resources-list', 'dns-rebinding-protection'],
  '2026-07-28': ['server-stateless', 'tools-list', 'resources-list', 'dns-rebinding-protection', 'http-header-validation', 'sep-2164-resource-not-found', 'caching'],
};

interface Check { id: string; status: string; errorMessage?: string }

let mcp: McpTestServer;
let resultsDir: string;
before(async () => {
  if (skip) return;
  mcp = await startMcpTestServer();
  resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-conformance-'));
});
after(async () => {
  if (skip) return;
  await mcp.close();
  fs.rmSync(resultsDir, { recursive: true, force: true });
});

async function runScenario(scenario: string, specVersion: string): Promise<{ code: number; output: string; checks: Check[] }> {
  const outputDir = path.join(resultsDir, `${specVersion}-${scenario}`);
  const args = [SUITE, 'server', '--url', mcp.mcpUrl, '--scenario', scenario, '--spec-version', specVersion, '--expected-failures', EXPECTED_FAILURES, '-o', outputDir];
  const { code, output } = await promisify(execFile)(NODE22, args, { cwd: REPO_ROOT, timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } })
    .then(({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }))
    .catch((error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }));
  const checksFile = fs.readdirSync(outputDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('checks.json'));
  const checks = checksFile ? (JSON.parse(fs.readFileSync(path.join(outputDir, checksFile), 'utf8')) as Check[]) : [];
  return { code, output, checks };
}

for (const [specVersion, scenarios] of Object.entries(SCENARIOS)) {
  describe(`conformance suite, spec ${specVersion}`, { skip }, () => {
    for (const scenario of scenarios) {
      it(scenario, async () => {
        const { code, output, checks } = await runScenario(scenario, specVersion);
        const failures = checks.filter((c) => c.status === 'FAILURE').map((c) => `${c.id}: ${c.errorMessage ?? ''}`);
        assert.equal(code, 0, `unexpected failures or a stale baseline:\n${failures.join('\n')}\n${output.slice(-3000)}`);
        assert.ok(checks.some((c) => c.status === 'SUCCESS'), `the scenario ran no checks:\n${output.slice(-2000)}`);
      });
    }
  });
}
