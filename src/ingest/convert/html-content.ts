/**
 * Finds the main content of a documentation page and strips site chrome from it, so that only
 * the page's own text reaches the Markdown renderer.
 */
import { NodeType, type HTMLElement, type Node } from 'node-html-parser';

/** Most specific first: MkDocs Material, then landmark roles, then Sphinx's classic layout. */
const MAIN_CONTENT_SELECTORS = [
  '.md-content',
  '[role=main]',
  'main',
  'article',
  'div.body',
  'div.document',
  'body',
];

/**
 * Elements that never carry page text: scripts, forms, embeds, and navigation chrome of common
 * generators. Tested by name, class, id and attribute in one walk over the tree: the same rules as
 * a CSS selector list, without running ~45 selectors against every element of every page (that
 * took a third of a crawl's conversion time).
 */
const CHROME_TAGS = new Set([
  'title', 'base', 'script', 'style', 'noscript', 'template', 'iframe', 'svg', 'canvas', 'object', 'embed',
  'button', 'input', 'select', 'textarea', 'link', 'meta',
  'nav', 'footer',
]);
/** Docutils renders footnotes, sidebars and topics as <aside>; those are page text, other asides are not. */
const PAGE_TEXT_ASIDES = ['footnote', 'footnote-list', 'sidebar', 'topic', 'admonition'];
const CHROME_ROLES = new Set(['navigation', 'search', 'banner', 'contentinfo']);
const CHROME_CLASSES = new Set([
  // Sphinx
  'sphinxsidebar', 'related', 'headerlink', 'backrefs', 'linenos', 'rst-footer-buttons', 'wy-breadcrumbs', 'wy-nav-side',
  // MkDocs (Material and readthedocs themes)
  'md-header', 'md-footer', 'md-sidebar', 'md-nav', 'md-source-file', 'md-content__button',
  // DocFX
  'sidenav', 'sideaffix', 'contribution', 'affix',
  // Generic breadcrumbs and tables of contents
  'breadcrumb', 'breadcrumbs', 'toc', 'skip-link',
]);
const CHROME_IDS = new Set(['breadcrumb', 'toc']);
const CHROME_ARIA_LABELS = new Set(['breadcrumb', 'breadcrumbs']);

function isChrome(element: HTMLElement): boolean {
  const tag = element.rawTagName?.toLowerCase() ?? '';
  if (CHROME_TAGS.has(tag)) return true;
  const attributes = element.attrs;
  const classes = attributes['class']?.split(/\s+/) ?? [];
  if (tag === 'aside' && !classes.some((name) => PAGE_TEXT_ASIDES.includes(name))) return true;
  if ('hidden' in attributes) return true;
  if (classes.some((name) => CHROME_CLASSES.has(name))) return true;
  const role = attributes['role'];
  if (role !== undefined && CHROME_ROLES.has(role)) return true;
  const id = attributes['id'];
  if (id !== undefined && CHROME_IDS.has(id)) return true;
  const label = attributes['aria-label'];
  return label !== undefined && CHROME_ARIA_LABELS.has(label);
}

/** Permalink anchors that generators append to headings. */
const PERMALINK_TEXT = new Set(['¶', '#', '§', '🔗']);

/** Forms with less text than this are controls, not content. */
const FORM_TEXT_LIMIT = 500;

/**
 * A block's first child longer than this in source characters cannot be a table of contents'
 * title: skipping it spares building the text of every nested container (a tenth of a page's conversion).
 */
const TITLE_RAW_LIMIT = 1000;

const TOC_TITLE = /^(?:table of contents|contents|on this page|in this article|in this section|page contents)$/i;

/** Returns the element holding the page's own content, with chrome removed in place. */
export function extractMainContent(root: HTMLElement): HTMLElement {
  removeChrome(root);
  removePageHeaders(root);
  removeForms(root);
  removePermalinks(root);
  removeTablesOfContents(root);
  return mainContentOf(root);
}

/** Removes every chrome element (and so what it holds): found first, then removed, as the walk must not change the tree it walks. */
function removeChrome(root: HTMLElement): void {
  const found: HTMLElement[] = [];
  const visit = (element: HTMLElement) => {
    for (const child of element.childNodes) {
      if (child.nodeType !== NodeType.ELEMENT_NODE) continue;
      if (isChrome(child as HTMLElement)) found.push(child as HTMLElement);
      else visit(child as HTMLElement);
    }
  };
  visit(root);
  for (const element of found) element.remove();
}

function mainContentOf(root: HTMLElement): HTMLElement {
  for (const selector of MAIN_CONTENT_SELECTORS) {
    const candidate = root.querySelector(selector);
    if (candidate && candidate.text.trim()) return candidate;
  }
  return root;
}

/** Site headers go; an article's own `<header>` holding its heading stays. */
function removePageHeaders(root: HTMLElement): void {
  for (const header of root.querySelectorAll('header')) {
    const insideArticle = header.closest('article, main, [role=main]') !== null;
    const holdsHeading = header.querySelector('h1, h2, h3') !== null;
    if (!(insideArticle && holdsHeading)) header.remove();
  }
}

/** Search boxes and the like go; a form wrapping the whole page (ASP.NET Web Forms) stays. */
function removeForms(root: HTMLElement): void {
  for (const form of root.querySelectorAll('form')) {
    if (form.text.replace(/\s+/g, ' ').trim().length < FORM_TEXT_LIMIT) form.remove();
  }
}

function removePermalinks(root: HTMLElement): void {
  for (const anchor of root.querySelectorAll('a[href^="#"]')) {
    if (PERMALINK_TEXT.has(anchor.text.trim())) anchor.remove();
  }
}

/** A block titled like a table of contents whose text is almost all links. */
function removeTablesOfContents(root: HTMLElement): void {
  for (const block of root.querySelectorAll('div, section, details')) {
    const first = block.children[0];
    if (!first || !rawTextWithin(first, TITLE_RAW_LIMIT) || !TOC_TITLE.test(first.text.trim())) continue;
    const text = block.text.replace(/\s+/g, '').length - first.text.replace(/\s+/g, '').length;
    const linkText = block.querySelectorAll('a').reduce((sum, a) => sum + a.text.replace(/\s+/g, '').length, 0);
    if (text > 0 && linkText >= text * 0.6) block.remove();
  }
}

/** Whether a node's source text is at most `limit` characters, found without building the text of a large subtree. */
function rawTextWithin(node: Node, limit: number): boolean {
  let left = limit;
  const visit = (current: Node): boolean => {
    if (current.nodeType === NodeType.TEXT_NODE) {
      left -= current.rawText.length;
      return left >= 0;
    }
    return current.childNodes.every(visit);
  };
  return visit(node);
}
