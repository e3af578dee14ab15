/**
 * Runs the Universal Sentence Encoder lite graph without its two dynamic ops, so TF.js can execute it
 * synchronously. The graph holds two `Where` nodes (which rows survive the 128-token clip, and which cells
 * of the padded token matrix hold a token), and a graph with dynamic ops must go through `executeAsync`,
 * whose per-node bookkeeping costs about a tenth of a query's embedding time here (paired, one query:
 * 22.5 → 20.2 ms at load 1.1–1.7, 57.7 → 48.9 ms at load 6; a batch of 32 showed no difference the
 * noise allowed telling apart, since the kernels dominate there). Both masks
 * follow from the token lists the tokenizer already made, so this module computes them in JavaScript and
 * feeds them to the nodes that read them, with the clip length and the padding value read from the
 * model's own constants. Whether the result is the model's own is checked once at load, bit for bit,
 * against `executeAsync` (see `useLiteGraph`); a model this does not fit keeps the dynamic path.
 */
import { tensor1d, tensor2d, type GraphModel, type Tensor } from '@energetic-ai/core';
import type { EmbeddingsModel } from '@energetic-ai/embeddings';

const SCOPE = 'module_apply_default/Encoder_en/KonaTransformer/';
/** The clip: `Where(indices[:, 1] < maxLength)`, reshaped to the list of surviving rows. */
const CLIP_ROWS = `${SCOPE}ClipToMaxLength/Reshape`;
const CLIP_LENGTH = `${SCOPE}ClipToMaxLength/Less/y`;
/** The token mask: `Where(dense > padding)` over the padded matrix, read by a cast and by a column slice. */
const MASK_CELLS = `${SCOPE}Encode/TransformerStack/Layer_1/TransformerLayer/FFN/StoreMask/ToInt32`;
const MASK_POSITIONS = `${SCOPE}Encode/TransformerStack/Layer_0/AddTimingSignal/strided_slice_2`;
const PADDING = `${SCOPE}Encode/SparseToDense/default_value`;

/** Embeds token lists (one per text) into one row of the output per text. */
export type TokenGraph = (encodings: readonly number[][]) => Promise<Float32Array[]>;

/** The model's scalar int constant, or undefined when the graph does not hold it. */
function constant(model: GraphModel, name: string): number | undefined {
  const value = model.weights[name]?.[0];
  if (value === undefined || value.size !== 1) return undefined;
  return value.dataSync()[0];
}

/** The dynamic path, as @energetic-ai/embeddings runs the model. */
export function dynamicGraph(model: GraphModel): TokenGraph {
  return async (encodings) => {
    const { indices, values } = sparseInput(encodings);
    try {
      const output = (await model.executeAsync({ indices, values })) as Tensor;
      return rows(output, encodings.length);
    } finally {
      indices.dispose();
      values.dispose();
    }
  };
}

/** The static path, or undefined when the model lacks the constants it reads. */
export function staticGraph(model: GraphModel): TokenGraph | undefined {
  const clipLength = constant(model, CLIP_LENGTH);
  const padding = constant(model, PADDING);
  if (clipLength === undefined || padding === undefined) return undefined;
  return async (encodings) => {
    const { indices, values, cells, tokens } = sparseInput(encodings);
    // Rows are listed text by text and position by position, which is also the row-major order in
    // which `Where` lists the cells of the padded matrix.
    const kept: number[] = [];
    const maskCells: number[] = [];
    const maskPositions: number[] = [];
    for (let row = 0; row < cells.length; row++) {
      const [text, position] = cells[row]!;
      if (position >= clipLength) continue;
      kept.push(row);
      if (tokens[row]! > padding) {
        maskCells.push(text, position);
        maskPositions.push(position);
      }
    }
    const feeds = {
      indices, values,
      [CLIP_ROWS]: tensor1d(kept, 'int32'),
      [MASK_CELLS]: tensor2d(maskCells, [maskPositions.length, 2], 'int32'),
      [MASK_POSITIONS]: tensor1d(maskPositions, 'int32'),
    };
    try {
      return rows(model.execute(feeds) as Tensor, encodings.length);
    } finally {
      for (const tensor of Object.values(feeds)) tensor.dispose();
    }
  };
}

function sparseInput(encodings: readonly number[][]) {
  const cells: [number, number][] = [];
  const tokens: number[] = [];
  encodings.forEach((encoding, text) => {
    encoding.forEach((token, position) => {
      cells.push([text, position]);
      tokens.push(token);
    });
  });
  return { indices: tensor2d(cells, [cells.length, 2], 'int32'), values: tensor1d(tokens, 'int32'), cells, tokens };
}

/** The output's rows as vectors of their own (copies: the tensor's memory goes back to the backend). */
function rows(output: Tensor, count: number): Float32Array[] {
  try {
    const data = output.dataSync() as Float32Array;
    const width = data.length / count;
    return Array.from({ length: count }, (_, k) => data.slice(k * width, (k + 1) * width));
  } finally {
    output.dispose();
  }
}

/**
 * Texts that exercise what the static path computes: the clip (a text past 128 tokens), unknown
 * characters (token 0), a batch of unequal lengths (padding).
 */
const CHECK_TEXTS = [
  'dimension probe',
  `${'Auto scale groups launch instances across availability zones. '.repeat(30)}`,
  'Unknown symbols ☃ 日本語 \u0001 still embed',
];

/**
 * The graph runner to use for this model: the static one when it reproduces the dynamic one bit for bit
 * on the check texts, the dynamic one otherwise (and it says why through `onFallback`).
 */
export async function useLiteGraph(model: EmbeddingsModel, onFallback: (reason: string) => void): Promise<TokenGraph> {
  const dynamic = dynamicGraph(model.model);
  const fast = staticGraph(model.model);
  if (!fast) {
    onFallback('the model lacks the constants the static path reads');
    return dynamic;
  }
  const encodings = CHECK_TEXTS.map((text) => model.tokenizer.encode(text));
  try {
    const [expected, actual] = [await dynamic(encodings), await fast(encodings)];
    const same = expected.every((vector, k) => vector.length === actual[k]!.length && vector.every((x, i) => Object.is(x, actual[k]![i])));
    if (same) return fast;
    onFallback('its vectors differ from the dynamic execution');
  } catch (error) {
    onFallback(`it failed: ${(error as Error).message}`);
  }
  return dynamic;
}
