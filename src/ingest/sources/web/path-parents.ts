/**
 * Parents in the URL path hierarchy, for pages that came from llms.txt or a sitemap rather than
 * from a link: `/docs/guide/intro.html` hangs under whichever of `/docs/guide/`,
 * `/docs/guide/index.html` or `/docs/guide.html` is listed, else further up, else under the
 * start page.
 */
export function pathParents(urls: readonly URL[], root: URL): Map<string, string | undefined> {
  const byNode = new Map<string, string>();
  for (const url of [root, ...urls]) {
    const node = nodeOf(url);
    if (!byNode.has(node)) byNode.set(node, url.href);
  }
  const parents = new Map<string, string | undefined>();
  for (const url of urls) {
    let node = nodeOf(url);
    let parent: string | undefined;
    while (!parent) {
      const cut = node.lastIndexOf('/');
      if (cut < url.origin.length) break;
      node = node.slice(0, cut);
      const candidate = byNode.get(node);
      if (candidate && candidate !== url.href) parent = candidate;
    }
    parents.set(url.href, parent ?? (url.href === root.href ? undefined : root.href));
  }
  return parents;
}

/** `https://x/docs/guide/index.html`, `…/guide/` and `…/guide.html` are all the node `https://x/docs/guide`. */
function nodeOf(url: URL): string {
  const path = url.pathname
    .replace(/\/index\.(?:html?|md)$/i, '')
    .replace(/\/$/, '')
    .replace(/\.(?:html?|md)$/i, '');
  return `${url.origin}${path}${url.search}`;
}
