import { sliceIntoBatches } from './embed-batches.js';
import { l2normalize, type Embedder } from './embedder.js';
import { requestEmbeddings } from './openai-request.js';

export interface OpenAIEmbedderOptions {
  /** API root that `/embeddings` is appended to, e.g. "http://127.0.0.1:11434/v1". */
  baseUrl: string;
  model: string;
  apiKey?: string;
  /** Asks models that support it (text-embedding-3-*) for shorter vectors. */
  dimensions?: number;
  batchSize?: number;
  timeoutMs?: number;
  /** Retries after a 429/5xx answer or a dropped connection. Default 3. */
  maxRetries?: number;
  /** First backoff delay; doubles on each retry. Default 500 ms. */
  retryBaseDelayMs?: number;
}

/** Any server speaking the OpenAI embeddings API: OpenAI, Ollama, LM Studio, vLLM, llama.cpp, TEI, LocalAI. */
export class OpenAIEmbedder implements Embedder {
  readonly name: string;
  readonly batchSize: number;
  private loadedDimensions = 0;
  private readonly url: string;

  constructor(private readonly options: OpenAIEmbedderOptions) {
    this.name = `openai:${options.model}`;
    this.batchSize = options.batchSize ?? 64;
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  }

  get dimensions(): number {
    return this.loadedDimensions;
  }

  /** Embeds one probe text to learn the vector length (and to fail early on a wrong URL, model or key). */
  async init(): Promise<void> {
    if (this.loadedDimensions > 0) return;
    const [probe] = await this.request(['dimension probe']);
    const requested = this.options.dimensions;
    if (requested !== undefined && probe!.length !== requested) {
      throw new Error(`${this.url} returned ${probe!.length}-dimensional vectors for ${this.name}, but ${requested} were requested`);
    }
    this.loadedDimensions = probe!.length;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    await this.init();
    const vectors: Float32Array[] = [];
    for (const batch of sliceIntoBatches(texts, this.batchSize)) {
      for (const vector of await this.request(batch)) {
        if (vector.length !== this.loadedDimensions) {
          throw new Error(`${this.url} returned a ${vector.length}-dimensional vector, expected ${this.loadedDimensions}`);
        }
        vectors.push(vector);
      }
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedDocuments([text]);
    return vector!;
  }

  async close(): Promise<void> {}

  private async request(input: string[]): Promise<Float32Array[]> {
    const { model, apiKey, dimensions } = this.options;
    const vectors = await requestEmbeddings({
      url: this.url,
      apiKey,
      // OpenAI rejects empty strings in `input`, which would fail the whole batch for one empty chunk.
      body: { model, input: input.map((text) => text || ' '), ...(dimensions !== undefined ? { dimensions } : {}) },
      timeoutMs: this.options.timeoutMs ?? 60_000,
      maxRetries: this.options.maxRetries ?? 3,
      retryBaseDelayMs: this.options.retryBaseDelayMs ?? 500,
    });
    return vectors.map((vector) => l2normalize(Float32Array.from(vector)));
  }
}
