/** What the choice reads of a posting list in the current window. */
export interface WindowList {
  /** Bound of the term's contribution in the window. */
  bound: number;
  /** About how many of the term's postings lie in the window. */
  postings: number;
}

/** Scratch, reused across calls (a thread runs one search at a time), grown as needed. */
let density = new Float64Array(32);
let order = new Int32Array(32);
let chosen = new Uint8Array(32);
let moved: WindowList[] = [];

/**
 * Chooses a window's non-essential lists, whose bounds must sum below the floor (a chunk holding
 * none of the other terms cannot reach it), and moves them to the front, each side kept in the
 * order it came in (by bound); returns how many. Any such set is rank-safe; the choice is a matter
 * of cost. MaxScore usually takes the weakest terms first, but every posting of an essential list is
 * scored while a non-essential one is read only for the chunks the essential ones touched: so lists
 * are taken by postings per unit of bound, most first, each that still fits below the floor (a
 * common word with a middling bound before a rare one with a small bound).
 */
export function chooseNonEssential<T extends WindowList>(lists: T[], floor: number): number {
  const m = lists.length;
  // Lists come sorted by bound: when not even the weakest fits (no floor yet, say), all are essential.
  if (m === 0 || !(lists[0]!.bound < floor)) return 0;
  if (density.length < m) {
    density = new Float64Array(2 * m);
    order = new Int32Array(2 * m);
    chosen = new Uint8Array(2 * m);
  }
  // Positions in `lists`, most postings per unit of bound first, ties in list order: an insertion
  // sort, for a few dozen lists at most.
  for (let i = 0; i < m; i++) {
    const list = lists[i]!;
    const d = list.bound > 0 ? list.postings / list.bound : Infinity;
    density[i] = d;
    chosen[i] = 0;
    let j = i - 1;
    while (j >= 0 && density[order[j]!]! < d) {
      order[j + 1] = order[j]!;
      j--;
    }
    order[j + 1] = i;
  }
  let weak = 0;
  let count = 0;
  for (let r = 0; r < m; r++) {
    const i = order[r]!;
    const bound = lists[i]!.bound;
    if (weak + bound < floor) {
      weak += bound;
      chosen[i] = 1;
      count++;
    }
  }
  // Non-essential lists first, each side in its former order (a stable partition).
  let front = 0;
  let back = count;
  for (let i = 0; i < m; i++) moved[chosen[i] === 1 ? front++ : back++] = lists[i]!;
  for (let i = 0; i < m; i++) lists[i] = moved[i] as T;
  return count;
}
