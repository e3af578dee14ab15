/** What a host shows the model about this server: when to use it, how to search, how to cite. */
export const INSTRUCTIONS = `McDewey is a library of vendor product manuals (for example Cisco, Palo Alto, Juniper), organised by vendor, product and version. Use it whenever a question concerns how a vendor product is configured, deployed, operated or programmed, and ground your answer in what the manuals say.

How to use it:
1. Call search_docs with the user's question or the exact term (CLI command, API name, error code). Each hit has a chunk id, the page of the best-matching text, a snippet, how well it matches (strong, partial or weak) and a citation.
2. Versions: by default each product answers from its newest version that has a relevant passage; the same passage in other versions is listed under also_in. A product and version named in the query ("FTDv 6.6.0") are searched alone, and a notice says so (infer_scope: false turns this off). Pass version to pick one (list_library shows the exact product and version names), "latest" for each product's newest, "all" to rank every version alike. Never present an answer from one version as if it applied to another.
3. When search_docs finds nothing relevant it says so instead of returning hits: do not answer from the library then; rephrase with the manuals' terms, broaden the scope, or tell the user the manuals do not cover it.
4. Widen context before answering: read_chunk gives a hit's text with neighbouring chunks; read_document reads a page or a window of the document (a chunk id works as doc_id; call again with start = next_start while it is present).
5. Cite every statement you take from the library with the hit's citation ("<title>, <product> <version>, page N", or section "<heading path>" for HTML and Markdown documents, which have no pages) and its link: chunk_url with {chunk_id} replaced.

Errors are actionable: an unknown version lists the versions that exist.`;
