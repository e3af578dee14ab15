/** The UI's stylesheet, served as /static/app.css (the CSP forbids inline style). */
export const APP_CSS = `
:root {
  --ink: #1f2937;
  --muted: #4b5563;
  --line: #d1d5db;
  --soft: #f3f4f6;
  --paper: #ffffff;
  --accent: #1d4ed8;
  --accent-soft: #eff6ff;
  --head: #0f172a;
  --head-ink: #f8fafc;
  --head-muted: #cbd5e1;
  --focus: #c2410c;
  --mark: #fde68a;
  --danger: #991b1b;
  --danger-soft: #fef2f2;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink);
  background: var(--paper);
}
a { color: var(--accent); text-underline-offset: 2px; }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 2px; }
main:focus { outline: none; }
code, pre, kbd { font-family: var(--mono); font-size: 0.92em; }
kbd { border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 0.3em; background: var(--soft); }
mark { background: var(--mark); color: inherit; padding: 0 0.1em; border-radius: 2px; }
h1, h2, h3, h4 { line-height: 1.25; overflow-wrap: break-word; }
p, li, td { overflow-wrap: break-word; }
h1 { font-size: 1.6rem; margin: 0 0 0.6rem; }
.visually-hidden {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
}
.skip-link { position: absolute; left: 0.5rem; top: -3rem; z-index: 10; background: var(--paper); padding: 0.5rem 0.8rem; border-radius: 4px; }
.skip-link:focus { top: 0.5rem; }
[hidden] { display: none !important; }
.key-hint { display: none; }
.js .key-hint { display: inline; }
.offscreen { position: fixed; left: -9999px; top: 0; }
.toast {
  position: fixed; left: 50%; bottom: 1.25rem; transform: translateX(-50%); z-index: 20; margin: 0;
  max-width: min(40rem, calc(100vw - 2rem)); padding: 0.5rem 0.9rem; border-radius: 6px;
  background: var(--head); color: var(--head-ink); font-size: 0.9rem; overflow-wrap: anywhere;
  opacity: 0; pointer-events: none; transition: opacity 0.2s;
}
.toast.shown { opacity: 1; }
dialog { border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; max-width: min(30rem, calc(100vw - 2rem)); color: var(--ink); }
dialog::backdrop { background: rgb(15 23 42 / 0.45); }
dialog h2 { margin: 0 0 0.6rem; font-size: 1.15rem; }
.shortcuts th { text-align: left; padding: 0.2rem 1rem 0.2rem 0; font-weight: 400; white-space: nowrap; }
.shortcuts td { padding: 0.2rem 0; }

/* ---- header ---- */
.site-header { background: var(--head); color: var(--head-ink); }
.site-header .bar {
  max-width: 76rem; margin: 0 auto; padding: 0.8rem 1.25rem;
  display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1.5rem;
}
.brand { margin: 0; display: flex; flex-direction: column; }
.brand a { color: var(--head-ink); text-decoration: none; font-weight: 700; font-size: 1.35rem; letter-spacing: 0.01em; }
.brand .tagline { color: var(--head-muted); font-size: 0.85rem; }
.site-nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
.site-nav a { color: var(--head-ink); text-decoration: none; padding: 0.2rem 0; border-bottom: 2px solid transparent; }
.site-nav a:hover, .site-nav a[aria-current="page"] { border-bottom-color: var(--head-muted); }
.header-search { margin-left: auto; display: flex; gap: 0.4rem; align-items: center; }
.header-search input { width: 16rem; max-width: 50vw; }
.header-search button { background: #334155; border-color: #475569; }

/* ---- forms ---- */
input[type="search"], input[type="number"], select {
  font: inherit; color: var(--ink); background: var(--paper);
  border: 1px solid #6b7280; border-radius: 6px; padding: 0.4rem 0.6rem; min-height: 2.4rem;
}
button {
  font: inherit; color: #fff; background: var(--accent); border: 1px solid var(--accent);
  border-radius: 6px; padding: 0.4rem 0.9rem; min-height: 2.4rem; cursor: pointer;
}
button:hover { background: #1e40af; }
.search-form { display: grid; gap: 0.75rem; margin: 0 0 1.25rem; }
.search-form .query { display: flex; gap: 0.5rem; }
.search-form .query input { flex: 1; min-width: 0; font-size: 1.1rem; }
.filter-panel > summary { cursor: pointer; color: var(--muted); font-size: 0.92rem; width: fit-content; padding: 0.1rem 0; }
.filter-panel[open] > summary { margin-bottom: 0.5rem; }
.filters { display: flex; flex-wrap: wrap; gap: 0.75rem 1rem; align-items: end; border: 0; padding: 0; margin: 0; }
.filters label { display: grid; gap: 0.2rem; font-size: 0.9rem; color: var(--muted); }
.filters select { min-width: 11rem; max-width: 100%; }
.filters .check { display: flex; align-items: center; gap: 0.4rem; color: var(--ink); min-height: 2.4rem; }
.hint { color: var(--muted); font-size: 0.9rem; margin: 0; }

/* ---- page frame ---- */
main { max-width: 76rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
.site-footer { max-width: 76rem; margin: 0 auto; padding: 1rem 1.25rem 2rem; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--line); }
.notice { background: var(--accent-soft); border-left: 4px solid var(--accent); padding: 0.6rem 0.9rem; margin: 0 0 1rem; border-radius: 0 6px 6px 0; }
.notice p { margin: 0.2rem 0; }
.error { background: var(--danger-soft); border-left-color: var(--danger); }
.meta { color: var(--muted); font-size: 0.92rem; margin: 0.15rem 0; }
.meta code { color: var(--ink); word-break: break-all; }
.breadcrumb { color: var(--muted); font-size: 0.9rem; margin: 0 0 0.3rem; }

/* ---- search results ---- */
.results-summary { color: var(--muted); margin: 0 0 0.75rem; }
.hits { list-style: none; margin: 0; padding: 0; }
.hit { padding: 1rem 0.75rem; margin: 0 -0.75rem; border-top: 1px solid var(--line); border-left: 4px solid transparent; scroll-margin: 1rem; }
.hit.selected { border-left-color: var(--focus); background: #fff7ed; }
.hit h2 a:focus-visible { outline-offset: 3px; }
.actions button.copy-citation { min-height: 0; padding: 0 0.6rem; font-size: 0.9rem; background: var(--paper); color: var(--accent); border: 1px solid var(--accent); }
.actions button.copy-citation:hover { background: var(--accent-soft); }
.hit h2 { font-size: 1.12rem; margin: 0 0 0.2rem; }
.hit .snippet { margin: 0.45rem 0; max-width: 62rem; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: 0.3rem 1.2rem; margin: 0.3rem 0 0; font-size: 0.95rem; }
.hit .also { font-size: 0.9rem; margin: 0.3rem 0 0; }
.hit .match { font-weight: 600; }
.hit .match-weak { color: var(--muted); }
.nothing-relevant { border-top: 1px solid var(--line); padding: 0.8rem 0; }
.nothing-relevant h2 { font-size: 1.12rem; margin: 0 0 0.4rem; }
.pager { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin: 1.25rem 0 0; }

/* ---- chunk page ---- */
.facts { border-collapse: collapse; margin: 0.75rem 0 1.25rem; }
.facts th, .facts td { text-align: left; padding: 0.3rem 1rem 0.3rem 0; vertical-align: top; border-bottom: 1px solid var(--line); }
.facts th { font-weight: 600; font-family: var(--mono); font-size: 0.9rem; color: var(--muted); white-space: nowrap; }
.facts td { word-break: break-word; }
.facts .citation { font-size: 0.92rem; }
.context-link { font-weight: 600; }
.neighbours { display: flex; justify-content: space-between; flex-wrap: wrap; gap: 1rem; margin: 1.5rem 0 0; padding-top: 1rem; border-top: 1px solid var(--line); }

/* ---- rendered document text ---- */
.prose { max-width: 62rem; overflow-wrap: break-word; }
.prose h2, .prose h3, .prose h4, .prose h5, .prose h6 { margin: 1.2rem 0 0.5rem; }
.prose h2 { font-size: 1.35rem; }
.prose h3 { font-size: 1.15rem; }
.prose h4, .prose h5, .prose h6 { font-size: 1rem; }
.prose p, .prose ul, .prose ol, .prose blockquote, .prose pre { margin: 0.6rem 0; }
.prose pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 0.7rem 0.9rem; overflow-x: auto; }
.prose :not(pre) > code { background: var(--soft); padding: 0.05em 0.3em; border-radius: 4px; }
.prose blockquote { border-left: 3px solid var(--line); padding-left: 0.9rem; color: var(--muted); }
.prose .anchor { text-decoration: none; color: var(--line); font-weight: 400; visibility: hidden; }
.prose h2:hover .anchor, .prose h3:hover .anchor, .prose h4:hover .anchor, .prose h5:hover .anchor, .prose h6:hover .anchor { visibility: visible; }
.table-wrap { overflow-x: auto; margin: 0.75rem 0; }
.prose table { border-collapse: collapse; font-size: 0.93rem; }
.prose th, .prose td { border: 1px solid var(--line); padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; min-width: 6rem; }
.prose thead th { background: var(--soft); }
.prose .align-center { text-align: center; }
.prose .align-right { text-align: right; }

/* ---- document viewer ---- */
.doc-header {
  position: sticky; top: 0; z-index: 5; background: var(--paper); border-bottom: 1px solid var(--line);
  margin: -0.5rem -1.25rem 0.75rem; padding: 0.5rem 1.25rem 0.4rem;
}
.doc-header .breadcrumb { margin: 0; }
.doc-header .trail { color: var(--muted); }
.doc-header h1 { margin: 0.1rem 0 0.2rem; font-size: 1.35rem; }
.doc-position { display: flex; flex-wrap: wrap; align-items: center; gap: 0.2rem 1.25rem; }
.doc-position h2 { margin: 0; font-size: 1.05rem; }
.doc-position .page-nav { margin: 0; padding: 0; border: 0; flex: 1 1 auto; }
.doc-position .doc-nav { margin: 0; font-size: 0.88rem; flex-basis: 100%; }
.viewer { display: grid; grid-template-columns: minmax(0, 16rem) minmax(0, 1fr); grid-template-areas: "side page"; gap: 1.75rem; align-items: start; }
.viewer-page { grid-area: page; min-width: 0; }
.sidebar {
  grid-area: side; position: sticky; top: calc(var(--doc-header-height, 8.5rem) + 0.5rem);
  max-height: calc(100vh - var(--doc-header-height, 8.5rem) - 1rem); overflow-y: auto;
  font-size: 0.9rem; border-right: 1px solid var(--line); padding-right: 1rem;
}
.sidebar summary { font-weight: 600; cursor: pointer; padding: 0.2rem 0; }
.reading-order { margin-bottom: 0.8rem; padding-bottom: 0.5rem; border-bottom: 1px solid var(--line); }
.outline ol, .reading-order ol { list-style: none; margin: 0.4rem 0 0; padding: 0; }
.outline li, .reading-order li { margin: 0.15rem 0; }
.outline a, .reading-order a { text-decoration: none; display: block; padding: 0.1rem 0.3rem; border-radius: 4px; }
.outline a:hover, .reading-order a:hover { background: var(--soft); }
.outline .here a, .reading-order .here > a { background: var(--accent-soft); font-weight: 600; }
.reading-order .tree-section summary { font-weight: 400; color: var(--muted); }
.reading-order .tree-section > details > ol { padding-left: 0.8rem; }
.outline .level-2 { padding-left: 0.8rem; }
.outline .level-3 { padding-left: 1.6rem; }
.outline .level-4, .outline .level-5, .outline .level-6 { padding-left: 2.4rem; }
.outline .page-no { color: var(--muted); font-size: 0.8rem; margin-left: 0.3rem; }
.page-nav, .doc-nav { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1.25rem; }
.page-nav { margin: 0.75rem 0; padding: 0.5rem 0; border-top: 1px solid var(--line); border-bottom: 1px solid var(--line); }
.doc-nav { justify-content: space-between; margin: 0.5rem 0; }
.page-nav .jump { display: flex; align-items: center; gap: 0.4rem; margin-left: auto; }
.page-nav .jump input { width: 5rem; min-height: 2rem; padding: 0.2rem 0.4rem; }
.page-nav .jump button { min-height: 2rem; padding: 0.2rem 0.7rem; }
.page-nav .disabled, .doc-nav .disabled { color: var(--muted); }
.page-split { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.5rem; align-items: start; }
.page-image { margin: 0; position: sticky; top: calc(var(--doc-header-height, 8.5rem) + 0.5rem); }
.page-frame { display: block; position: relative; border: 1px solid var(--line); box-shadow: 0 1px 3px rgb(0 0 0 / 0.12); background: #fff; }
.page-frame img { display: block; width: 100%; height: auto; }
.page-frame .page-highlight { position: absolute; inset: 0; height: 100%; pointer-events: none; }
.page-image figcaption { color: var(--muted); font-size: 0.85rem; margin-top: 0.4rem; }
.page-image.unavailable { border: 1px dashed var(--line); border-radius: 6px; padding: 0.75rem; }
.chunk { padding: 0.25rem 0.75rem 0.25rem 1rem; margin: 0 0 0 -1.25rem; border-left: 4px solid transparent; scroll-margin-top: calc(var(--doc-header-height, 8.5rem) + 0.5rem); }
.prose :is(h2, h3, h4, h5, h6)[id] { scroll-margin-top: calc(var(--doc-header-height, 8.5rem) + 0.5rem); }
.chunk + .chunk { border-top: 1px dashed var(--line); }
.chunk .chunk-label { margin: 0.4rem 0 0; text-align: right; font-size: 0.78rem; font-family: var(--mono); }
.chunk .chunk-label a { color: var(--muted); }
.chunk .spill { color: var(--muted); font-size: 0.85rem; font-style: italic; margin: 0.3rem 0; }
.chunk.highlighted { background: var(--accent-soft); border-left-color: var(--accent); border-radius: 0 6px 6px 0; }
.chunk.highlighted .chunk-label a { color: var(--accent); font-weight: 600; }

/* ---- library ---- */
.summary-list { list-style: none; padding: 0; margin: 0.5rem 0 1.5rem; display: grid; gap: 0.75rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.summary-list > li { border: 1px solid var(--line); border-radius: 8px; padding: 0.8rem 1rem; }
.summary-list h3 { margin: 0 0 0.3rem; font-size: 1.05rem; }
.summary-list ul { margin: 0.3rem 0 0; padding-left: 1.1rem; }
.stats { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.5rem 0 1.25rem; padding: 0; list-style: none; }
.stats strong { font-size: 1.25rem; display: block; }
.library-filter { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; margin: 0.75rem 0 0.25rem; }
.library-filter input { flex: 1 1 16rem; max-width: 32rem; }
.filter-status { color: var(--muted); min-height: 1.5rem; margin: 0.25rem 0 0.5rem; }
.library-tree summary { cursor: pointer; }
.library-tree summary > h2, .library-tree summary > h3 { display: inline; }
.vendor { margin: 0 0 1rem; }
.vendor > summary { border-bottom: 2px solid var(--line); padding: 0.3rem 0; }
.vendor > summary > h2 { font-size: 1.35rem; }
.product { margin: 0 0 0 1rem; border-bottom: 1px solid var(--line); }
.product > summary { padding: 0.45rem 0; }
.product > summary > h3 { font-size: 1.08rem; }
.product[open] { padding-bottom: 0.75rem; }
.version h4 { margin: 0.8rem 0 0.3rem; font-size: 1rem; }
.badge { display: inline-block; font-size: 0.75rem; font-weight: 600; padding: 0.05rem 0.45rem; border-radius: 999px; background: #dcfce7; color: #14532d; vertical-align: middle; margin-left: 0.3rem; }
.docs { border-collapse: collapse; width: 100%; font-size: 0.93rem; }
.docs th, .docs td { text-align: left; padding: 0.35rem 0.75rem 0.35rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
.docs th { color: var(--muted); font-weight: 600; }
.docs .num { text-align: right; font-variant-numeric: tabular-nums; }
.docs code { word-break: break-all; font-size: 0.85rem; color: var(--muted); }
.site-tree .doc-tree { list-style: none; margin: 0.2rem 0 0.5rem; padding: 0; font-size: 0.93rem; }
.site-tree .doc-tree .doc-tree { padding-left: 1.1rem; }
.site-tree li { margin: 0.1rem 0; }
.site-tree .tree-section summary { color: var(--muted); }
pre.command { background: var(--head); color: var(--head-ink); padding: 0.8rem 1rem; border-radius: 6px; overflow-x: auto; }

@media (max-width: 1100px) {
  .page-split { grid-template-columns: minmax(0, 1fr); }
  .page-image { position: static; max-width: 40rem; }
}
@media (max-width: 900px) {
  .viewer { grid-template-columns: minmax(0, 1fr); grid-template-areas: "page" "side"; gap: 1rem; }
  .sidebar { position: static; max-height: 28rem; border-right: 0; border-top: 1px solid var(--line); padding: 0.5rem 0 0; }
}
@media (max-width: 640px) {
  body { font-size: 15px; }
  main { padding: 0.75rem 0.9rem 2rem; }
  .site-header .bar { padding: 0.45rem 0.9rem; gap: 0.3rem 1rem; }
  .brand .tagline, .key-hint, .js .key-hint, .doc-header .jump { display: none; }
  .brand a { font-size: 1.15rem; }
  .header-search { margin-left: 0; width: 100%; }
  .header-search input { flex: 1; width: auto; max-width: none; }
  h1 { font-size: 1.3rem; margin-bottom: 0.4rem; }
  .search-form { gap: 0.4rem; margin-bottom: 0.75rem; }
  .search-form .hint { display: none; }
  .filters label, .filters select { width: 100%; }
  .hit { padding: 0.75rem 0.9rem; margin: 0 -0.9rem; }
  .doc-header { margin: -0.75rem -0.9rem 0.5rem; padding: 0.35rem 0.9rem; }
  .doc-header h1 { font-size: 1.05rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .doc-header .breadcrumb { font-size: 0.8rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .doc-position h2 { font-size: 0.95rem; }
  .doc-position .doc-nav { display: none; }
  .page-nav .jump { margin-left: 0; }
  .docs .optional { display: none; }
  .product { margin-left: 0; }
  .chunk { margin: 0 -0.9rem; padding: 0.25rem 0.9rem; }
  .prose table { font-size: 0.85rem; }
  .prose td { min-width: 9rem; }
}
@media print {
  .site-header, .site-footer, .sidebar, .page-nav, .doc-nav, .skip-link, .page-image, .toast { display: none; }
  .doc-header { position: static; }
  .chunk.highlighted { background: none; }
}
`;
