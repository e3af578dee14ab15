import { IndexInputError } from '../segments/index-input-error.js';
import type { VectorRow } from './vector-segment.js';

/** Checks that keep bad vectors out of the index's arrays. */
export function validateDims(dims: number): number {
  if (!Number.isSafeInteger(dims) || dims < 1 || dims > 0xfffe) {
    throw new IndexInputError('vector index', `dims ${String(dims)} is not a whole number from 1 to 65534`, 'Pass the embedder\'s dimensions');
  }
  return dims;
}

export function validateVector(vector: unknown, dims: number, where: string): Float32Array {
  if (!(vector instanceof Float32Array)) throw new IndexInputError(where, 'the vector is not a Float32Array', 'Pass the embedder\'s Float32Array');
  if (vector.length !== dims) {
    throw new IndexInputError(where, `the vector has ${vector.length} dimensions, the index ${dims}`, 'Use the embedder the index was built with, or rebuild the index');
  }
  for (let j = 0; j < dims; j++) {
    if (!Number.isFinite(vector[j])) throw new IndexInputError(where, `dimension ${j} is ${vector[j]}`, 'Vectors must be finite');
  }
  return vector;
}

export function validateRows(rows: readonly VectorRow[], dims: number): void {
  if (!Array.isArray(rows)) throw new IndexInputError('add()', 'expected an array of vectors', 'Pass VectorRow[]');
  rows.forEach((row, i) => {
    const where = `add(): vector ${i}`;
    if (row === null || typeof row !== 'object') throw new IndexInputError(where, 'is not an object', 'Pass { rowid, docRowid, vector }');
    if (!Number.isSafeInteger(row.rowid)) throw new IndexInputError(where, `rowid ${String(row.rowid)} is not a safe integer`, 'Use the store\'s integer rowid');
    if (!Number.isSafeInteger(row.docRowid)) throw new IndexInputError(`${where} (rowid ${row.rowid})`, `docRowid ${String(row.docRowid)} is not a safe integer`, 'Use the document\'s integer rowid');
    validateVector(row.vector, dims, `${where} (rowid ${row.rowid})`);
  });
}
