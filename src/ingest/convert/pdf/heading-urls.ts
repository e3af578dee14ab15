/**
 * A web address is never part of a heading: a cover's "docs.paloaltonetworks.com" set in a heading
 * size, or a URL set under a title in the same size ("How to add the default route
 * http://www.paloaltonetworks.com"), would otherwise land in every chunk's heading path.
 */
const ADDRESS = String.raw`(?:https?:\/\/\S+|www\.\S+|(?:[a-z0-9-]+\.)+(?:com|org|net|io|gov|edu)(?:\/\S*)?)`;
const ONLY_ADDRESS = new RegExp(`^${ADDRESS}$`, 'i');
const TRAILING_ADDRESS = new RegExp(`^(.*\\p{L}.*?)\\s+(${ADDRESS})$`, 'iu');

/** The heading's text without a trailing address, and the address, which becomes a paragraph. */
export function splitHeadingAddress(text: string): { heading?: string; address?: string } {
  if (ONLY_ADDRESS.test(text)) return { address: text };
  const match = TRAILING_ADDRESS.exec(text);
  return match ? { heading: match[1]!, address: match[2]! } : { heading: text };
}
