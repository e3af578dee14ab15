import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './corpus.js';

/** A real `mcdewey serve` in a process of its own, over an embedded library, on a free loopback port. */
export interface ServeProcess {
  /** Base URL, without a trailing slash. */
  url: string;
  child: ChildProcess;
  /** Everything the server wrote to stderr so far. */
  log(): string;
}

/**
 * Starts `mcdewey --data <data> <args…> serve --port 0` and resolves once it listens. `args` are
 * the global options (`--embedder none`), `nodeArgs` go to node itself (`--max-old-space-size=256`),
 * `env` is added to this process's environment. The caller kills it (SIGKILL is fine: tests never
 * need a clean shutdown of these).
 */
export async function startServe(data: string, options: { args?: string[]; nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(REPO_ROOT, 'src/cli/main.ts'), '--data', data, ...(options.args ?? []), 'serve', '--port', '0'], {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      log += text;
      const match = /REST API (http:\/\/[^\s]+)\/api/.exec(log);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code, signal) => reject(new Error(`mcdewey serve exited (${code ?? signal}): ${log}`)));
  });
  return { url, child, log: () => log };
}
