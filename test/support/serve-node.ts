import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

/** `mcdewey serve` as its own process over a shared store, as a node behind a load balancer runs. */
export interface ServeNode {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything the node wrote to stderr so far. */
  log(): string;
  /** SIGTERM, then SIGKILL after 10 s. */
  stop(): Promise<void>;
  kill9(): Promise<void>;
}

export const TEST_TOKEN = 'scale-out-test-token-0123456789';

export async function startServeNode(options: { data: string; store: string; embedder?: string; env?: NodeJS.ProcessEnv }): Promise<ServeNode> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', options.data, '--store', options.store, '--embedder', options.embedder ?? 'none', 'serve', '--port', '0'],
    { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1', MCDEWEY_TOKEN: TEST_TOKEN, ...options.env } },
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start in 120 s:\n${output}`)), 120_000);
    const check = () => {
      const match = /web UI\s+(http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stderr!.off('data', check);
        resolve(match[1]!);
      }
    };
    child.stderr!.on('data', check);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`node exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    pid: child.pid!,
    child,
    log: () => output,
    stop: async () => {
      if (!alive()) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
    kill9: async () => {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
