/**
 * The position saved with an index file: which change log (database) it follows and how far, and for
 * the vector index how many vectors its mean was computed from. Written as `<log id>:<seq>[:<sample>]`.
 */
export interface IndexPosition {
  logId: string;
  seq: number;
  meanSample?: number;
}

export function formatPosition(position: IndexPosition): string {
  return [position.logId, position.seq, ...(position.meanSample === undefined ? [] : [position.meanSample])].join(':');
}

/** Undefined for a position written by something else (an older file, another tool). */
export function parsePosition(text: string): IndexPosition | undefined {
  const match = /^([0-9a-z:/._-]+?):(\d+)(?::(\d+))?$/i.exec(text);
  if (!match) return undefined;
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(seq)) return undefined;
  return match[3] === undefined ? { logId: match[1]!, seq } : { logId: match[1]!, seq, meanSample: Number(match[3]) };
}
