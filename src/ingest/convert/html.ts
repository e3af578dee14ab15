/** HTML documentation pages (Sphinx, MkDocs, DocFX, generic) to a single page of Markdown. */
import { parse, type HTMLElement } from 'node-html-parser';
import { decodeText } from './decode-text.js';
import { titleFromFileName } from './file-name-title.js';
import { extractMainContent } from './html-content.js';
import { htmlToMarkdown } from './html-to-markdown.js';
import { pageTitle } from './html-title.js';
import type { Converter } from './types.js';

/** Script and style bodies stay raw text so markup inside them never becomes elements. */
const PARSE_OPTIONS = {
  comment: false,
  blockTextElements: { script: true, style: true, noscript: true, textarea: true },
};

/** How far into the file a charset declaration is looked for (the HTML spec's prescan uses 1024). */
const CHARSET_PRESCAN_BYTES = 2048;

export const convertHtml: Converter = async ({ bytes, fileName }) => {
  const warnings: string[] = [];
  const decoded = decodeText(bytes, declaredCharset(bytes));
  if (decoded.warning) warnings.push(decoded.warning);

  const root = parse(decoded.text, PARSE_OPTIONS);
  const documentTitle = titleElementOf(root)?.text;
  const siteName = root.querySelector('meta[property="og:site_name"]')?.getAttribute('content');
  const content = extractMainContent(root);
  const markdown = htmlToMarkdown(content);
  if (!markdown) warnings.push('the page has no text content');

  const firstHeading = content.querySelector('h1')?.text;
  const title = pageTitle(documentTitle, firstHeading, siteName) ?? titleFromFileName(fileName);
  return { title, pages: [{ number: 1, markdown }], warnings };
};

/** The document's own `<title>`, not one inside inline SVG. */
function titleElementOf(root: HTMLElement): HTMLElement | null {
  return root.querySelector('head title') ?? root.querySelectorAll('title').find((t) => !t.closest('svg')) ?? null;
}

/** The charset named by `<meta charset>`, `<meta http-equiv content>` or an XML declaration. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, CHARSET_PRESCAN_BYTES));
  const meta = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  const xml = /<\?xml\b[^>]*?encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return meta?.[1] ?? xml?.[1];
}
