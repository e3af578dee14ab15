/**
 * tmpfs mounts for fault tests (a small or read-only disk) under a test file's sandbox: `mount`
 * returns why it failed, or undefined; every mount is lazily unmounted after the file's tests,
 * before the sandbox is removed. `cannotMount` says why mounts cannot be tested here (not root,
 * no CAP_SYS_ADMIN), or is undefined when they can, for `{ skip: cannotMount }`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';

export function tmpfsMounts(sandbox: string): { mount(point: string, options: string): string | undefined; cannotMount: string | undefined } {
  const mounted: string[] = [];
  after(() => {
    for (const point of mounted.reverse()) spawnSync('umount', ['-l', point]);
    fs.rmSync(sandbox, { recursive: true, force: true });
  });
  const mount = (point: string, options: string): string | undefined => {
    fs.mkdirSync(point, { recursive: true });
    const result = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', point], { encoding: 'utf8' });
    if (result.status !== 0) return (result.stderr || result.error?.message || `exit ${result.status}`).trim();
    mounted.push(point);
    return undefined;
  };
  const probe = path.join(sandbox, 'probe');
  const problem = mount(probe, 'size=1m');
  if (!problem) {
    spawnSync('umount', [probe]);
    mounted.pop();
  }
  const cannotMount = problem ? `cannot mount a tmpfs here (${problem.replace(/\s+/g, ' ')}); needs root or CAP_SYS_ADMIN` : undefined;
  return { mount, cannotMount };
}
