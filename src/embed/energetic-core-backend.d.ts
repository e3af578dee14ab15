/**
 * @energetic-ai/core re-exports TF.js from packages it bundles but does not install, so its type declarations lose
 * everything they re-export. These are the backend calls, tensor constructors and graph-model members the USE-lite
 * worker uses, as TF.js 4 declares them (narrowed to what is used).
 */
export {};

declare module '@energetic-ai/core' {
  /** Resolves once the selected backend has finished initialising (also when it failed). */
  export function ready(): Promise<void>;
  /** Selects a backend and resolves to whether it initialised; immediate once it has. */
  export function setBackend(backendName: string): Promise<boolean>;

  export interface Tensor {
    readonly size: number;
    dataSync(): Float32Array | Int32Array | Uint8Array;
    dispose(): void;
  }
  export function tensor1d(values: readonly number[], dtype: 'int32' | 'float32'): Tensor;
  export function tensor2d(values: readonly number[] | readonly (readonly number[])[], shape: [number, number], dtype: 'int32' | 'float32'): Tensor;

  export interface GraphModel {
    /** The graph's constants by node name. */
    readonly weights: Record<string, Tensor[] | undefined>;
    /** Runs the graph in one go; refuses a graph with dynamic ops that the inputs do not bypass. */
    execute(inputs: Record<string, Tensor>): Tensor | Tensor[];
    executeAsync(inputs: Record<string, Tensor>): Promise<Tensor | Tensor[]>;
  }
}
