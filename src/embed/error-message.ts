/** The message of anything thrown, including the plain `{ message }` objects some libraries reject with. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}

/** `fetch failed` alone says little; its cause holds e.g. "getaddrinfo ENOTFOUND huggingface.co". */
export function errorMessageWithCause(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? errorMessage(error) : `${errorMessage(error)} (${errorMessage(cause)})`;
}
