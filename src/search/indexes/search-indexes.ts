import { LexicalIndex, type LexicalIndexHandle } from '../lexical/lexical-index.js';
import { SegmentedVectorIndex, type VectorIndexHandle } from '../vector/vector-index.js';

/**
 * What a search ranks with: the lexical index, the vector index when the library keeps vectors,
 * and the change-log position both reflect. A snapshot: it never changes under a running search.
 */
export interface SearchIndexes {
  position: number;
  lexical: LexicalIndex;
  vectors: SegmentedVectorIndex | undefined;
}

/** A snapshot for another thread: the indexes' shared memory, posted without copying. */
export interface IndexHandles {
  position: number;
  lexical: LexicalIndexHandle;
  vectors?: VectorIndexHandle;
}

export function shareIndexes(indexes: SearchIndexes): IndexHandles {
  const handles: IndexHandles = { position: indexes.position, lexical: indexes.lexical.share() };
  if (indexes.vectors) handles.vectors = indexes.vectors.share();
  return handles;
}

/** Read-only indexes over a snapshot shared by another thread. */
export function attachIndexes(handles: IndexHandles): SearchIndexes {
  return {
    position: handles.position,
    lexical: LexicalIndex.attach(handles.lexical),
    vectors: handles.vectors && SegmentedVectorIndex.attach(handles.vectors),
  };
}
