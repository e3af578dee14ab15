import type { TransformersDtype } from '../transformers-options.js';
import type { RemoteFile } from './hub-listing.js';

/** Weight variants a pull can fetch: every transformers.js dtype except "auto", which is not a file. */
export type PullDtype = Exclude<TransformersDtype, 'auto'>;
export const PULL_DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'bnb4', 'q4f16'] as const satisfies readonly PullDtype[];

/**
 * transformers.js loads `onnx/model<suffix>.onnx` for a dtype (the mapping in its utils/dtypes.js). fp32 is the
 * library's default on Node and the precision the published scores were measured at; q8 is about a quarter of the
 * size and faster on CPUs, at a small loss.
 */
const WEIGHT_SUFFIX: Record<PullDtype, string> = {
  fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4', bnb4: '_bnb4', q4f16: '_q4f16',
};

export const weightFile = (dtype: PullDtype): string => `onnx/model${WEIGHT_SUFFIX[dtype]}.onnx`;

/** What the feature-extraction pipeline reads besides the weights. */
const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
/** Older exports keep special tokens here; the tokenizer reads it when present. */
const OPTIONAL_FILES = ['special_tokens_map.json'];

/** The files to fetch for `dtype`, or an error naming what the repository lacks and which dtypes it does have. */
export function selectModelFiles(repo: string, listing: ReadonlyMap<string, RemoteFile>, dtype: PullDtype): RemoteFile[] {
  const missing = [...REQUIRED_FILES, weightFile(dtype)].filter((file) => !listing.has(file));
  if (missing.length > 0) {
    const available = PULL_DTYPES.filter((candidate) => listing.has(weightFile(candidate)));
    const hint =
      missing.includes(weightFile(dtype)) && available.length > 0
        ? `; it has weights for ${available.map((d) => `--dtype ${d}`).join(', ')}`
        : '; is it a transformers.js (ONNX) export? Such repositories have an onnx/ folder';
    throw new Error(`${repo} has no ${missing.join(', ')}${hint}`);
  }
  return [...REQUIRED_FILES, ...OPTIONAL_FILES.filter((file) => listing.has(file)), weightFile(dtype)].map((file) => listing.get(file)!);
}
