import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `mcdewey` CLI in a child process (TypeScript sources through tsx). */
export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: options.timeoutMs ?? 300_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
