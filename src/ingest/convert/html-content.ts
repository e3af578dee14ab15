/**
 * Finds the main content of a documentation page and strips site chrome from it, so that only
 * the page's own text reaches the Markdown renderer.
 */
import type { HTMLElement } from 'node-html-parser';

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

/** Elements that never carry page text: scripts, forms, embeds, and navigation chrome of common generators. */
const CHROME_SELECTORS = [
  'title', 'base', 'script', 'style', 'noscript', 'template', 'iframe', 'svg', 'canvas', 'object', 'embed',
  'button', 'input', 'select', 'textarea', 'link', 'meta',
  'nav', 'footer',
  // Docutils renders footnotes, sidebars and topics as <aside>; those are page text.
  'aside:not(.footnote):not(.footnote-list):not(.sidebar):not(.topic):not(.admonition)',
  '[role=navigation]', '[role=search]', '[role=banner]', '[role=contentinfo]', '[hidden]',
  // Sphinx
  '.sphinxsidebar', '.related', '.headerlink', '.backrefs', '.linenos', '.rst-footer-buttons',
  '.wy-breadcrumbs', '.wy-nav-side',
  // MkDocs (Material and readthedocs themes)
  '.md-header', '.md-footer', '.md-sidebar', '.md-nav', '.md-source-file', '.md-content__button',
  // DocFX
  '.sidenav', '.sideaffix', '.contribution', '.affix', '#breadcrumb',
  // Generic breadcrumbs and tables of contents
  '.breadcrumb', '.breadcrumbs', '[aria-label=breadcrumb]', '[aria-label=breadcrumbs]', '.toc', '#toc',
  '.skip-link',
];

/** Permalink anchors that generators append to headings. */
const PERMALINK_TEXT = new Set(['¶', '#', '§', '🔗']);

/** Forms with less text than this are controls, not content. */
const FORM_TEXT_LIMIT = 500;

const TOC_TITLE = /^(?:table of contents|contents|on this page|in this article|in this section|page contents)$/i;

/** Returns the element holding the page's own content, with chrome removed in place. */
export function extractMainContent(root: HTMLElement): HTMLElement {
  removeAll(root, CHROME_SELECTORS.join(', '));
  removePageHeaders(root);
  removeForms(root);
  removePermalinks(root);
  removeTablesOfContents(root);
  return mainContentOf(root);
}

function removeAll(root: HTMLElement, selector: string): void {
  for (const element of root.querySelectorAll(selector)) element.remove();
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
    if (!first || !TOC_TITLE.test(first.text.trim())) continue;
    const text = block.text.replace(/\s+/g, '').length - first.text.replace(/\s+/g, '').length;
    const linkText = block.querySelectorAll('a').reduce((sum, a) => sum + a.text.replace(/\s+/g, '').length, 0);
    if (text > 0 && linkText >= text * 0.6) block.remove();
  }
}
