import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../run/paths.js';

/**
 * `mcdewey serve` in its own process, as a user runs it, on a free loopback port. Client and
 * server in separate processes keep the client's work (autocannon, JSON parsing) off the
 * server's event loop.
 */
export interface ServerProcess {
  url: string;
  pid: number;
  /** Milliseconds from spawn to the "serving" line. */
  readyMs: number;
  spawnedAt: number;
  rssBytes(): number;
  peakRssBytes(): number;
  /** CPU milliseconds the process has used so far, every thread (Linux; null elsewhere). */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

export const CLI = path.join(REPO_ROOT, 'bin', 'mcdewey.js');

/** `store`: a postgres:// URL, for a scale-out node whose `data` is its own cache directory. */
export function serveArgs(data: string, embedder: string, store?: string): string[] {
  return [CLI, '--data', data, ...(store ? ['--store', store] : []), '--embedder', embedder, 'serve', '--host', '127.0.0.1', '--port', '0'];
}

export async function startServerProcess(data: string, embedder: string, nodeArgs: string[] = [], store?: string): Promise<ServerProcess> {
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...serveArgs(data, embedder, store)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MCDEWEY_TOKEN: '', NO_COLOR: '1' },
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /web UI\s+(http:\/\/[^\s/]+)\//.exec(output);
      if (match) {
        child.stderr!.off('data', onData);
        child.stderr!.resume();
        resolve(match[1]!);
      }
    };
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`mcdewey serve exited with ${code} before listening:\n${output}`)));
  });
  const readyMs = performance.now() - spawnedAt;
  return { url, pid: child.pid!, readyMs, spawnedAt, rssBytes: () => rssOf(child.pid!), peakRssBytes: () => rssOf(child.pid!, 'VmHWM'), cpuMs: () => cpuOf(child.pid!), stop: () => stop(child) };
}

/** Resident set size (VmRSS) or its peak (VmHWM) from /proc (Linux); 0 where that is not available. */
export function rssOf(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`${field}:\\s+(\\d+)\\s+kB`).exec(status);
    return kb ? Number(kb[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * User + system CPU of a process and all its threads from /proc/<pid>/stat, in clock ticks of 10 ms
 * (USER_HZ is 100 on Linux). On a shared machine this moves far less with the load than wall time.
 */
export function cpuOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
