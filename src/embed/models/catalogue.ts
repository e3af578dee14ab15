import type { TransformersPooling } from '../transformers-options.js';

/**
 * Retrieval-trained sentence embedders known by a short name, each with the settings it was trained with. Vectors
 * are always L2-normalised (the store ranks by dot product), as both models expect for cosine similarity.
 */
export interface CatalogueModel {
  /** Short name used with `mcdewey model pull` and `--embedder`. */
  name: string;
  /** Hub repository holding the transformers.js (ONNX) export. */
  repo: string;
  pooling: TransformersPooling;
  queryPrefix?: string;
  documentPrefix?: string;
  /** Published SciFact nDCG@10 (BEIR), shown by `mcdewey model pull --help`. */
  scifactNdcg10: number;
}

export const MODEL_CATALOGUE: readonly CatalogueModel[] = [
  {
    name: 'bge-small-en-v1.5',
    repo: 'Xenova/bge-small-en-v1.5',
    pooling: 'cls',
    // BGE v1.5 prefixes queries (not passages) with this instruction for retrieval.
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    scifactNdcg10: 0.713,
  },
  {
    name: 'all-MiniLM-L6-v2',
    repo: 'Xenova/all-MiniLM-L6-v2',
    pooling: 'mean',
    scifactNdcg10: 0.645,
  },
];

/** The catalogue entry named `nameOrRepo`, or holding that repository (so both spellings get its settings). */
export function findCatalogueModel(nameOrRepo: string): CatalogueModel | undefined {
  return MODEL_CATALOGUE.find((model) => model.name === nameOrRepo || model.repo === nameOrRepo);
}
