/** Keeps the k highest-scoring entries of a stream without sorting all of them. */
export function topK<T extends { score: number }>(items: Iterable<T>, k: number): T[] {
  if (k <= 0) return [];
  const heap: T[] = []; // min-heap on score
  const less = (a: T, b: T) => a.score < b.score;
  for (const item of items) {
    if (heap.length < k) {
      heap.push(item);
      let i = heap.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!less(heap[i]!, heap[parent]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (less(heap[0]!, item)) {
      heap[0] = item;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && less(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && less(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
  }
  return heap.sort((a, b) => b.score - a.score);
}
