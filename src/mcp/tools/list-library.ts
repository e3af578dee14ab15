import { z } from 'zod';
import type { McpServer } from '@modelcontextprotocol/server';
import type { LibraryTree, TreeProduct, TreeVendor } from '../../service/tree.js';
import type { ServerContext } from '../../server/context.js';
import { errorResult, jsonResult, READ_ONLY_TOOL, withLibraryErrors } from '../tool-results.js';

/** Beyond this many documents the listing names versions only, which keeps a big library's answer small. */
const DOCUMENTS_LISTED_MAX = 100;

const inputSchema = z.object({
  vendor: z.string().max(100).optional().describe('Only this vendor'),
  product: z.string().max(100).optional().describe('Only this product'),
});

const documentSchema = z.object({ doc_id: z.string(), title: z.string(), pages: z.number().int() });
const versionSchema = z.object({
  version: z.string().describe('Pass as the version filter of search_docs'),
  latest: z.boolean().describe('The version search_docs uses when no version is given'),
  documents: z.array(documentSchema).optional(),
});
const productSchema = z.object({
  product: z.string().describe('Pass as the product filter of search_docs'),
  label: z.string(),
  versions: z.array(versionSchema).describe('Newest first'),
});
const vendorSchema = z.object({ vendor: z.string(), label: z.string(), products: z.array(productSchema) });

const outputSchema = z.object({
  vendors: z.array(vendorSchema),
  documents: z.number().int().describe('Documents in the listing'),
  documents_omitted: z.boolean().optional().describe('True when documents were left out to keep the answer short; filter by vendor or product to see them'),
});

type VersionOutput = z.infer<typeof versionSchema>;

export function registerListLibrary(server: McpServer, ctx: ServerContext): void {
  server.registerTool(
    'list_library',
    {
      title: 'List vendors, products, versions and documents',
      description: 'What the library holds: vendors → products → versions (latest marked) → documents with ids, titles and page counts. Use it to pick search_docs filters.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_TOOL,
    },
    ({ vendor, product }) =>
      withLibraryErrors(() => {
        const tree = ctx.library.tree();
        const vendors = selectVendors(tree, vendor, product);
        if (typeof vendors === 'string') return errorResult(vendors);
        const documents = vendors.flatMap((v) => v.products).flatMap((p) => p.versions).reduce((n, ver) => n + ver.documents.length, 0);
        const withDocuments = documents <= DOCUMENTS_LISTED_MAX;
        const output: z.infer<typeof outputSchema> = {
          vendors: vendors.map((v) => ({
            vendor: v.vendor,
            label: v.label,
            products: v.products.map((p) => ({
              product: p.product,
              label: p.label,
              versions: p.versions.map((ver) => {
                const entry: VersionOutput = { version: ver.label, latest: ver.latest };
                if (withDocuments) entry.documents = ver.documents.map((d) => ({ doc_id: d.docId, title: d.title, pages: d.pages }));
                return entry;
              }),
            })),
          })),
          documents,
        };
        if (!withDocuments) output.documents_omitted = true;
        return jsonResult(output);
      }),
  );
}

const matches = (wanted: string, slug: string, label: string) => {
  const w = wanted.trim().toLowerCase();
  return w === slug || w === label.toLowerCase();
};

/** The vendors (with only the matching products) a filter selects, or an error message naming what exists. */
function selectVendors(tree: LibraryTree, vendor: string | undefined, product: string | undefined): TreeVendor[] | string {
  let vendors = tree.vendors;
  if (vendor !== undefined) {
    vendors = vendors.filter((v) => matches(vendor, v.vendor, v.label));
    if (vendors.length === 0) return `vendor "${vendor}" is not in the library. Available vendors: ${tree.vendors.map((v) => v.vendor).join(', ') || '(none: the library is empty)'}`;
  }
  if (product !== undefined) {
    const products: TreeProduct[] = vendors.flatMap((v) => v.products);
    vendors = vendors
      .map((v) => ({ ...v, products: v.products.filter((p) => matches(product, p.product, p.label)) }))
      .filter((v) => v.products.length > 0);
    if (vendors.length === 0) return `product "${product}" is not in the library. Available products: ${products.map((p) => p.product).join(', ') || '(none)'}`;
  }
  return vendors;
}
