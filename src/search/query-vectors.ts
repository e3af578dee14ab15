/**
 * Query vectors, with the last ones kept: the same query asked again (a user paging, an agent
 * retrying, a popular question) skips the embedder, which costs more than the whole ranking.
 * Concurrent requests for one query share one embedding; failures are not kept.
 */
export interface QueryVectors {
  /** The embedder the vectors come from: a vector index made by another one cannot be searched with them. */
  readonly model: string;
  vectorFor(query: string): Promise<Float32Array>;
}

export const DEFAULT_QUERY_VECTOR_CACHE = 1000;

export class CachedQueryVectors implements QueryVectors {
  /** In least-recently-used order (a Map iterates in insertion order; a hit is moved to the end). */
  private readonly entries = new Map<string, Promise<Float32Array>>();

  constructor(
    readonly model: string,
    private readonly embed: (query: string) => Promise<Float32Array>,
    private readonly capacity = DEFAULT_QUERY_VECTOR_CACHE,
  ) {
    if (!(Number.isSafeInteger(capacity) && capacity >= 0)) throw new RangeError(`query vector cache capacity must be a whole number ≥ 0, got ${capacity}`);
  }

  vectorFor(query: string): Promise<Float32Array> {
    const cached = this.entries.get(query);
    if (cached) {
      this.entries.delete(query);
      this.entries.set(query, cached);
      return cached;
    }
    const vector = this.embed(query);
    if (this.capacity === 0) return vector;
    this.entries.set(query, vector);
    vector.catch(() => {
      if (this.entries.get(query) === vector) this.entries.delete(query);
    });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return vector;
  }

  get size(): number {
    return this.entries.size;
  }
}
