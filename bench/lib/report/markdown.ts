import { describeMachine } from '../parts/machine.js';
import type { ResultFile } from './results.js';

/** Small Markdown helpers for the report. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.map((c) => String(c).replace(/\|/g, '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function fixed(n: number | null | undefined, digits = 1): string {
  return n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits);
}

export function percent(n: number, digits = 0): string {
  return `${(n * 100).toFixed(digits)}%`;
}

export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** The line under every section: when, where, under what load, and how to get the figure again. */
export function provenance(result: ResultFile): string {
  return [
    `<sub>Measured ${result.startedAt.slice(0, 16).replace('T', ' ')} UTC in ${result.seconds} s on ${describeMachine(result.machine)} → ${result.loadavgAtEnd.join(' / ')} at the end; CLI from ${result.machine.cli}.`,
    `Reproduce: \`${result.command}\` · data: [${result.benchmark}.json](${result.benchmark}.json)</sub>`,
  ].join('<br>\n');
}

export function conditionsList(conditions: Record<string, unknown>): string {
  return Object.entries(conditions)
    .map(([key, value]) => `- ${key}: ${describe(value)}`)
    .join('\n');
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value !== null && typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k} = ${String(v)}`).join('; ');
  return String(value);
}
