import { IndexFileError } from './index-file-error.js';

/**
 * Reads the few fields of an index file's JSON metadata by hand. A schema library would do it in one
 * line, but importing zod is ~100 modules, which every thread that opens an index (the index thread,
 * each search worker) would load at start-up for a handful of numbers.
 */
export class FileMeta {
  constructor(
    private readonly file: string,
    private readonly value: unknown,
    private readonly where = 'metadata',
  ) {}

  /** The metadata as an object of fields; anything else is a damaged file. */
  private fields(): Record<string, unknown> {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) throw this.broken('is not an object');
    return this.value as Record<string, unknown>;
  }

  at(key: string): FileMeta {
    return new FileMeta(this.file, this.fields()[key], `${this.where}.${key}`);
  }

  string(key: string): string {
    const value = this.fields()[key];
    if (typeof value !== 'string') throw this.at(key).broken('is not a string');
    return value;
  }

  /** A finite number; `whole` also asks for an integer ≥ `min`. */
  number(key: string, whole?: { min: number }): number {
    const value = this.fields()[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.at(key).broken('is not a number');
    if (whole && !(Number.isSafeInteger(value) && value >= whole.min)) throw this.at(key).broken(`is not a whole number ≥ ${whole.min}`);
    return value;
  }

  /** A list of `length` numbers. */
  numbers(key: string, length: number): number[] {
    const value = this.fields()[key];
    if (!Array.isArray(value) || value.length !== length || !value.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw this.at(key).broken(`is not a list of ${length} numbers`);
    }
    return value as number[];
  }

  list(key: string): FileMeta[] {
    const value = this.fields()[key];
    if (!Array.isArray(value)) throw this.at(key).broken('is not a list');
    return value.map((item, i) => new FileMeta(this.file, item, `${this.where}.${key}[${i}]`));
  }

  private broken(what: string): IndexFileError {
    return new IndexFileError(this.file, 'corrupt', `the metadata does not parse: ${this.where} ${what}`);
  }
}
