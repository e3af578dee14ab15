/**
 * A model-independent token estimate: words and punctuation marks, with long words counted as
 * several sub-word pieces the way WordPiece/SentencePiece tokenizers split them. It keeps chunk
 * sizes bounded for any embedder without loading a tokenizer.
 */
const TOKEN_PATTERN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;

export function estimateTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(TOKEN_PATTERN)) {
    count += Math.max(1, Math.ceil(match[0].length / 6));
  }
  return count;
}
