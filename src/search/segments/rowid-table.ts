import { lowerBound } from './lower-bound.js';

/** Finds a chunk's local number in a segment from its rowid (removals arrive by rowid). */
export interface RowidTable {
  /** The segment's rowids, ascending. */
  rowidSorted: Float64Array;
  /** Local number of each entry of rowidSorted. */
  rowidLocal: Uint32Array;
}

export function buildRowidTable(rowids: Float64Array): RowidTable {
  const order = Array.from(rowids.keys()).sort((a, b) => rowids[a]! - rowids[b]!);
  return { rowidSorted: Float64Array.from(order, (i) => rowids[i]!), rowidLocal: Uint32Array.from(order) };
}

/** The local number of a rowid, or -1. */
export function findLocal(table: RowidTable, rowid: number): number {
  const i = lowerBound(table.rowidSorted, rowid);
  return i < table.rowidSorted.length && table.rowidSorted[i] === rowid ? table.rowidLocal[i]! : -1;
}
