import path from 'node:path';
import type { DataType } from '@huggingface/transformers';

export const TRANSFORMERS_POOLINGS = ['mean', 'cls'] as const;
export type TransformersPooling = (typeof TRANSFORMERS_POOLINGS)[number];

/** ONNX weight variants a model folder may ship (`fp32` is `onnx/model.onnx`, `q8` is `onnx/model_quantized.onnx`). */
export const TRANSFORMERS_DTYPES = ['auto', 'fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const satisfies readonly DataType[];
export type TransformersDtype = (typeof TRANSFORMERS_DTYPES)[number];

/** What the transformers worker needs to load its model (sent as `workerData`). */
export interface TransformersWorkerData {
  /** Absolute directory for local models, hub id otherwise. */
  location: string;
  local: boolean;
  pooling: TransformersPooling;
  dtype?: TransformersDtype;
  cacheDir?: string;
}

/** Absolute paths and paths starting with "." are model folders; anything else ("org/name") is a hub id. */
export function isLocalModelPath(model: string): boolean {
  return path.isAbsolute(model) || model.startsWith('.');
}
