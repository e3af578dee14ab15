/**
 * A model repository id on the hub, "<org>/<name>". Both parts become folder names under `<data>/models`, so only
 * the characters the hub itself allows are accepted, and never "." or ".." as a whole part.
 */
const REPO_PART = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

export interface RepoId {
  org: string;
  name: string;
}

export function looksLikeRepoId(text: string): boolean {
  const parts = text.split('/');
  return parts.length === 2 && parts.every((part) => REPO_PART.test(part) && !part.includes('..'));
}

export function parseRepoId(text: string): RepoId {
  if (!looksLikeRepoId(text)) {
    throw new Error(`"${text}" is not a model repository id: expected <org>/<name> with letters, digits, "-", "_" and ".", e.g. Xenova/bge-small-en-v1.5`);
  }
  const [org, name] = text.split('/') as [string, string];
  return { org, name };
}
