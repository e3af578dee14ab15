/**
 * Sentences and headings of a page's Markdown, as a person would copy them from the page to
 * search for it: prose only (no tables, code, page markers), inline Markdown removed.
 */
export interface PageText {
  sentences: string[];
  headings: string[];
}

const MIN_WORDS = 8;
const MAX_WORDS = 30;

export function pageText(markdown: string): PageText {
  const sentences: string[] = [];
  const headings: string[] = [];
  let inCode = false;
  for (const raw of markdown.split('\n')) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      inCode = !inCode;
      continue;
    }
    if (inCode || line === '' || line.startsWith('|') || line.startsWith('<!--')) continue;
    const heading = /^#{1,6}\s+(.+)$/.exec(line);
    if (heading) {
      headings.push(plain(heading[1]!));
      continue;
    }
    const prose = plain(line.replace(/^([-*+]|\d+[.)])\s+/, ''));
    for (const sentence of prose.split(/(?<=[.!?])\s+(?=[A-Z])/)) {
      const words = sentence.split(/\s+/).filter(Boolean);
      const letters = sentence.replace(/[^A-Za-z]/g, '').length;
      // Table-of-contents lines ("Auto Scale Deployment, on page 8") point at other pages.
      const tocEntry = /,\s*on page \d+\s*$/i.test(sentence);
      if (words.length >= MIN_WORDS && words.length <= MAX_WORDS && letters / sentence.length > 0.6 && !tocEntry) sentences.push(sentence);
    }
  }
  return { sentences, headings };
}

/** Inline Markdown (emphasis, code spans, links, escapes) to the text a reader sees. */
function plain(text: string): string {
  return text
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]+/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|<>])/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lower case, letters and digits only: what "the same sentence" means when checking uniqueness. */
export function normalized(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}
