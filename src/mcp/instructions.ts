/** What a host shows the model about this server: when to use it, how to search, how to cite. */
export const INSTRUCTIONS = `McDewey is a library of vendor product manuals (for example Cisco, Palo Alto, Juniper), organised by vendor, product and version. Use it whenever a question concerns how a vendor product is configured, deployed, operated or programmed, and ground your answer in what the manuals say.

How to use it:
1. Call search_docs first with the user's question or the exact term (CLI command, API name, error code). Each hit has a chunk id, the page and a short snippet.
2. Filter by vendor, product and version when the user names them. Call list_library to see the exact names and which version is the latest. Without a version, only the latest version of each product is searched; never present an answer from one version as if it applied to another.
3. Widen context before answering: read_chunk gives a hit's full text with its neighbouring chunks; read_document reads a page or a window of the document (continue with next_start while truncated is true).
4. Cite every statement you take from the library as "<title>, <version>, page N (chunk <id>)" (for HTML and Markdown documents, which have no pages: section "<heading path>" instead of the page) followed by its url, so the reader can open the page. Every hit and chunk carries that text ready-made in its citation field.

Errors are actionable: an unknown version lists the versions that exist; no results means the query or filters should be broadened.`;
