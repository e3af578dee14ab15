import { ResourceNotFoundError, ResourceTemplate, UriTemplate, type McpServer } from '@modelcontextprotocol/server';
import type { TreeProduct, TreeVendor, TreeVersion } from '../../service/tree.js';
import type { ServerContext } from '../../http/context.js';
import { documentUri, orNotFound, RESOURCE_CACHE_HINT, RESOURCES_LISTED_MAX, suggest, variable, versionUri, VERSION_TEMPLATE } from './resource-uris.js';

/** Parsed once: /mcp builds a server, and so registers this template, for every request. */
const URI_TEMPLATE = new UriTemplate(VERSION_TEMPLATE);

/** One version of a product and its documents; its URI template is what hosts complete product and version names with. */
export function registerVersionResource(server: McpServer, ctx: ServerContext): void {
  const products = (): TreeProduct[] => ctx.library.tree().vendors.flatMap((v) => v.products);
  const template = new ResourceTemplate(URI_TEMPLATE, {
    list: () => ({
      resources: products()
        .flatMap((p) =>
          p.versions.map((v) => ({
            uri: versionUri(p.product, v.version),
            name: `${p.product} ${v.version}`,
            title: `${p.label} ${v.label}${v.latest ? ' (latest)' : ''}`,
            mimeType: 'application/json',
          })),
        )
        .slice(0, RESOURCES_LISTED_MAX),
    }),
    complete: {
      product: (typed) => suggest(products().map((p) => p.product), typed),
      version: (typed, context) => {
        const chosen = context?.arguments?.['product'];
        const candidates = products().filter((p) => chosen === undefined || p.product === chosen);
        return suggest(candidates.flatMap((p) => p.versions.map((v) => v.version)), typed);
      },
    },
  });
  server.registerResource(
    'product-version',
    template,
    {
      title: 'Product version',
      description: 'The documents of one version of a product, as JSON',
      mimeType: 'application/json',
      cacheHint: RESOURCE_CACHE_HINT,
    },
    (uri, variables) =>
      orNotFound(uri, () => {
        const productSlug = variable(variables, 'product');
        const versionSlug = variable(variables, 'version');
        const vendor = ctx.library.tree().vendors.find((v) => v.products.some((p) => p.product === productSlug));
        const product = vendor?.products.find((p) => p.product === productSlug);
        // "latest" names the product's newest version, as it does in every filter.
        const version = product?.versions.find((v) => v.version === versionSlug) ?? (versionSlug.toLowerCase() === 'latest' ? product?.versions.find((v) => v.latest) : undefined);
        if (!vendor || !product || !version) throw new ResourceNotFoundError(uri.href);
        return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(versionListing(vendor, product, version)) }] };
      }),
  );
}

/**
 * Most documents a version's listing names: a version of 5,183 documents read as 1.1 MB, and the
 * answer must not grow with the version. search_docs with the product and version filters reaches
 * the others.
 */
export const VERSION_DOCUMENTS_LISTED = 1000;

/** The JSON of a version resource: its first `listed` documents, and how many it leaves out. */
export function versionListing(vendor: TreeVendor, product: TreeProduct, version: TreeVersion, listed = VERSION_DOCUMENTS_LISTED) {
  const omitted = Math.max(0, version.documents.length - listed);
  return {
    vendor: vendor.label,
    product: product.label,
    version: version.label,
    latest: version.latest,
    document_count: version.documents.length,
    documents: version.documents.slice(0, listed).map((d) => ({ doc_id: d.docId, title: d.title, pages: d.pages, uri: documentUri(d.docId) })),
    ...(omitted > 0 ? { documents_omitted: omitted, hint: `The first ${listed} documents are listed; search_docs with this product and version finds the others` } : {}),
  };
}
