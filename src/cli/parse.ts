import { InvalidArgumentError } from 'commander';

/** Parses a non-negative integer flag value (`min` = 1 unless given). */
export function positiveInt(value: string, min: unknown = 1): number {
  const n = Number(value);
  const floor = typeof min === 'number' ? min : 1;
  if (!Number.isInteger(n) || n < floor) throw new InvalidArgumentError(`expected an integer ≥ ${floor}, got "${value}"`);
  return n;
}
