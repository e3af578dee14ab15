/**
 * Token budgets for what a tool reads out. Counting real tokens would need the host's tokenizer;
 * four characters per token is the usual approximation for English prose and Markdown, and it
 * errs long on code and identifiers, which keeps a result inside the budget asked for.
 */
export const CHARS_PER_TOKEN = 4;

export function charsFor(tokens: number): number {
  return tokens * CHARS_PER_TOKEN;
}

export function approximateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
