import { InvalidArgumentError } from 'commander';

/** A flag parser for integers ≥ min (commander passes the previous value as a 2nd argument). */
export function intAtLeast(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}
