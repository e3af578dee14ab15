import { splitHeadingAddress } from './heading-urls.js';
import type { Block } from './render-markdown.js';
import { withoutStrayPipes } from './stray-pipes.js';

const BARE_NUMBER = /^\d{1,3}$/;

/** Separator bars out of text, and web addresses out of headings (into a paragraph of their own). */
function cleanText(block: Block): Block[] {
  switch (block.kind) {
    case 'heading': {
      const { heading, address } = splitHeadingAddress(withoutStrayPipes(block.text));
      return [
        ...(heading ? [{ ...block, text: heading }] : []),
        ...(address ? [{ kind: 'paragraph' as const, text: address }] : []),
      ];
    }
    case 'paragraph':
    case 'list-item':
      return [{ ...block, text: withoutStrayPipes(block.text) }];
    default:
      return [block];
  }
}

/**
 * Small clean-ups on a page's blocks: separator bars and addresses in headings (see cleanText),
 * stray glyphs with no letter or digit (decorations drawn as text) are dropped, and runs of bare
 * numbers (callout labels on a screenshot) become one line instead of a paragraph each.
 */
export function tidyBlocks(blocks: readonly Block[]): Block[] {
  const tidy: Block[] = [];
  for (const block of blocks.flatMap(cleanText)) {
    if (block.kind !== 'paragraph') {
      tidy.push(block);
      continue;
    }
    if (block.text === '' || (block.text.length <= 3 && !/[\p{L}\p{N}]/u.test(block.text))) continue;
    const previous = tidy[tidy.length - 1];
    if (previous?.kind === 'paragraph' && BARE_NUMBER.test(block.text) && /^\d{1,3}( \d{1,3})*$/.test(previous.text)) {
      tidy[tidy.length - 1] = { kind: 'paragraph', text: `${previous.text} ${block.text}` };
      continue;
    }
    tidy.push(block);
  }
  return tidy;
}
