import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../run/paths.js';

/** The machine a figure was measured on; every result file carries one. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  cpuMHz: number;
  memoryGB: number;
  os: string;
  node: string;
  /** 1, 5 and 15 minute load averages when the benchmark started: a busy machine shows here. */
  loadavg: number[];
  /** Whether the CLI ran from compiled JavaScript (dist/) or from TypeScript through tsx. */
  cli: 'dist' | 'tsx';
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpuMHz: cpus[0]?.speed ?? 0,
    memoryGB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadavg: loadavg(),
    cli: fs.existsSync(path.join(REPO_ROOT, 'dist', 'cli', 'main.js')) ? 'dist' : 'tsx',
  };
}

export function loadavg(): number[] {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}

export function describeMachine(m: MachineInfo): string {
  return `${m.cpus} × ${m.cpuModel}${m.cpuMHz ? ` @ ${m.cpuMHz} MHz` : ''}, ${m.memoryGB} GB RAM, ${m.os}, Node ${m.node}, load ${m.loadavg.join(' / ')}`;
}
