import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startMcpTestServer, type McpTestServer } from './support/mcp-server.js';
import { errorText, structured } from './support/tool-output.js';

/**
 * The MCP endpoint driven by real SDK clients over HTTP, in each way a host can negotiate:
 * the 2025 initialize handshake, auto-negotiation, and pinned to 2026-07-28.
 * Facts come from the fixture PDFs themselves: "metricsAverageDuration" is on PDF page 14 of the
 * ASAv Azure 9.19 guide and on page 10 of the 9.15 guide.
 */
const ASAV = 'asav-autoscale-azure';
const ASAV_919_DOC = 'asav-autoscale-azure::9.19::asav_azure_autoscale_v919::asav_azure_autoscale_v919';

let mcp: McpTestServer;
before(async () => {
  mcp = await startMcpTestServer();
});
after(async () => {
  await mcp.close();
});

const MODES = [
  { label: 'legacy', mode: 'legacy' as const, expectedVersion: '2025-11-25' },
  { label: 'auto', mode: 'auto' as const, expectedVersion: '2026-07-28' },
  { label: 'pinned 2026-07-28', mode: { pin: '2026-07-28' }, expectedVersion: '2026-07-28' },
];

for (const { label, mode, expectedVersion } of MODES) {
  describe(`SDK v2 client, version negotiation ${label}`, () => {
    let client: Client;
    before(async () => {
      client = new Client({ name: 'mcdewey-test', version: '1' }, { versionNegotiation: { mode } });
      await client.connect(new StreamableHTTPClientTransport(new URL(mcp.mcpUrl)));
    });
    after(async () => {
      await client.close();
    });

    it('negotiates the expected protocol revision and gets the server instructions', () => {
      assert.equal(client.getNegotiatedProtocolVersion(), expectedVersion);
      assert.equal(client.getServerVersion()?.name, 'mcdewey');
      const instructions = client.getInstructions() ?? '';
      assert.match(instructions, /search_docs/);
      assert.match(instructions, /list_library/);
      assert.match(instructions, /<title>, <product> <version>, page N/);
    });

    it('lists the four read-only tools in a fixed order', async () => {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name), ['search_docs', 'read_chunk', 'read_document', 'list_library']);
      for (const tool of tools) {
        assert.deepEqual(tool.annotations, { readOnlyHint: true, idempotentHint: true, openWorldHint: false }, tool.name);
        assert.ok(tool.description && tool.description.length < 400, `${tool.name} has a concise description`);
        assert.equal(tool.outputSchema?.type, 'object', `${tool.name} declares an output schema`);
      }
      const search = tools[0]!;
      assert.deepEqual(search.inputSchema.required, ['query']);
      assert.ok(search.inputSchema.properties?.['cursor']);
    });

    it('finds a phrase on the PDF page it is printed on, with a citable URL', async () => {
      const result = structured(await client.callTool({ name: 'search_docs', arguments: { query: 'metricsAverageDuration', product: ASAV } }));
      const top = result.hits[0];
      assert.equal(top.version, '9.19', 'the latest version ranks first');
      assert.equal(top.page, 14);
      assert.ok(top.chunk_id.startsWith(`${ASAV_919_DOC}::`), top.chunk_id);
      assert.equal(result.chunk_url, `${mcp.server.ctx.baseUrl}/chunk/{chunk_id}`);
      assert.match(top.snippet, /\*\*metricsAverageDuration\*\*/);
      assert.ok(top.snippet.length <= 320);
      assert.equal(top.citation, `${top.title}, asav-autoscale-azure 9.19, page 14`);
      assert.equal(top.match, 'strong');
      assert.ok(Array.isArray(top.also_in));
    });

    it('answers from the version asked for, and only from it', async () => {
      const result = structured(await client.callTool({ name: 'search_docs', arguments: { query: 'metricsAverageDuration', product: ASAV, version: '9.15' } }));
      assert.equal(result.hits[0].page, 10);
      assert.ok(result.hits.every((hit: { version: string }) => hit.version === '9.15'));
    });

    it('refuses an unknown version and names the versions that exist', async () => {
      const result = await client.callTool({ name: 'search_docs', arguments: { query: 'metricsAverageDuration', product: ASAV, version: '13.0' } });
      assert.equal(result.isError, true);
      const message = errorText(result);
      assert.match(message, /13\.0/);
      assert.match(message, /Available versions of asav-autoscale-azure: 9\.19, 9\.15/);
    });

    it('says plainly when nothing matches, and how to widen the search', async () => {
      const result = await client.callTool({ name: 'search_docs', arguments: { query: 'qzxqzx', product: ASAV, version: '9.15' } });
      assert.equal(result.isError, true);
      const text = errorText(result);
      assert.match(text, /^Nothing relevant found for "qzxqzx" in product asav-autoscale-azure, version 9\.15\. No document contains "qzxqzx"\./);
      assert.match(text, /drop a filter/);
      assert.match(text, /The library holds: asav-autoscale-azure \(9\.19, 9\.15\)/);
    });

    it('pages with an opaque cursor that only fits its own query', async () => {
      const first = structured(await client.callTool({ name: 'search_docs', arguments: { query: 'auto scale group', limit: 2 } }));
      assert.equal(first.hits.length, 2);
      assert.equal(typeof first.next_cursor, 'string');
      const second = structured(await client.callTool({ name: 'search_docs', arguments: { query: 'auto scale group', limit: 2, cursor: first.next_cursor } }));
      assert.equal(second.hits.length, 2);
      const seen = new Set(first.hits.map((h: { chunk_id: string }) => h.chunk_id));
      assert.ok(second.hits.every((h: { chunk_id: string }) => !seen.has(h.chunk_id)));
      const foreign = await client.callTool({ name: 'search_docs', arguments: { query: 'lambda', limit: 2, cursor: first.next_cursor } });
      assert.equal(foreign.isError, true);
      assert.match(errorText(foreign), /different search/);
      const garbage = await client.callTool({ name: 'search_docs', arguments: { query: 'lambda', cursor: 'not-a-cursor' } });
      assert.equal(garbage.isError, true);
    });

    it('validates arguments (limit at most 20)', async () => {
      const result = await client.callTool({ name: 'search_docs', arguments: { query: 'lambda', limit: 500 } });
      assert.equal(result.isError, true);
    });

    it('reads a hit with its neighbouring chunks', async () => {
      const hit = structured(await client.callTool({ name: 'search_docs', arguments: { query: 'metricsAverageDuration', product: ASAV, version: '9.19', limit: 1 } })).hits[0];
      const chunk = structured(await client.callTool({ name: 'read_chunk', arguments: { chunk_id: hit.chunk_id, before: 1, after: 2 } }));
      assert.equal(chunk.chunk_id, hit.chunk_id);
      assert.match(chunk.text, /metricsAverageDuration/);
      assert.equal(chunk.page, 14);
      assert.equal(chunk.url, `${mcp.server.ctx.baseUrl}/chunk/${hit.chunk_id}`);
      assert.equal(chunk.citation, hit.citation);
      assert.equal(chunk.before.length, 1);
      assert.equal(chunk.after.length, 2);
      const ordinal = (id: string) => Number(id.split('::').at(-1));
      assert.equal(ordinal(chunk.before[0].chunk_id), ordinal(hit.chunk_id) - 1);
      assert.equal(ordinal(chunk.after[1].chunk_id), ordinal(hit.chunk_id) + 2);
      assert.equal(ordinal(chunk.next_chunk_id), ordinal(hit.chunk_id) + 3);

      const missing = await client.callTool({ name: 'read_chunk', arguments: { chunk_id: `${ASAV_919_DOC}::99999` } });
      assert.equal(missing.isError, true);
      assert.match(errorText(missing), /no chunk/);
    });

    it('reads a document from a page and continues where the window stopped', async () => {
      const first = structured(await client.callTool({ name: 'read_document', arguments: { doc_id: ASAV_919_DOC, page: 14, max_tokens: 250 } }));
      assert.equal(first.first_page, 14);
      assert.match(first.text, /^<!-- page 14/);
      assert.equal(typeof first.next_start, 'number', 'the document goes on');
      assert.ok(first.text.length <= 1000, 'a token is about four characters');
      const second = structured(await client.callTool({ name: 'read_document', arguments: { doc_id: ASAV_919_DOC, start: first.next_start, max_tokens: 250 } }));
      assert.equal(second.start, first.next_start);
      const whole = structured(await client.callTool({ name: 'read_document', arguments: { doc_id: ASAV_919_DOC, page: 14, max_tokens: 1250 } }));
      assert.ok(whole.text.startsWith(first.text + second.text), 'consecutive windows join up without gaps or overlap');

      const both = await client.callTool({ name: 'read_document', arguments: { doc_id: ASAV_919_DOC, page: 2, start: 10 } });
      assert.equal(both.isError, true);
      const tooLarge = await client.callTool({ name: 'read_document', arguments: { doc_id: ASAV_919_DOC, max_tokens: 100_000 } });
      assert.equal(tooLarge.isError, true, 'max_tokens is capped at 5000');
      // A hit's chunk id reads its document from the chunk's page.
      const fromChunk = structured(await client.callTool({ name: 'read_document', arguments: { doc_id: `${ASAV_919_DOC}::30`, max_tokens: 100 } }));
      assert.equal(fromChunk.doc_id, ASAV_919_DOC);
      assert.equal(fromChunk.first_page, structured(await client.callTool({ name: 'read_chunk', arguments: { chunk_id: `${ASAV_919_DOC}::30` } })).page);
      const noPage = await client.callTool({ name: 'read_document', arguments: { doc_id: ASAV_919_DOC, page: 999 } });
      assert.equal(noPage.isError, true);
      assert.match(errorText(noPage), /Pages run from 1 to \d+/);
    });

    it('lists vendors, products, versions (latest first) and documents', async () => {
      const library = structured(await client.callTool({ name: 'list_library', arguments: {} }));
      assert.deepEqual(library.vendors.map((v: { vendor: string }) => v.vendor), ['cisco', 'paloalto']);
      const cisco = library.vendors[0];
      const ftdv = cisco.products.find((p: { product: string }) => p.product === 'ftdv-autoscale-aws');
      assert.deepEqual(ftdv.versions.map((v: { version: string }) => v.version), ['latest-2025-06', '6.7.0', '6.6.0']);
      assert.deepEqual(ftdv.versions.map((v: { latest: boolean }) => v.latest), [true, false, false]);
      assert.equal(library.documents, 6);
      assert.ok(ftdv.versions[0].documents[0].doc_id.startsWith('ftdv-autoscale-aws::latest-2025-06::'));

      const asav = structured(await client.callTool({ name: 'list_library', arguments: { product: ASAV } }));
      assert.equal(asav.documents, 2);
      assert.deepEqual(asav.vendors[0].products.map((p: { product: string }) => p.product), [ASAV]);

      const unknown = await client.callTool({ name: 'list_library', arguments: { vendor: 'juniper' } });
      assert.equal(unknown.isError, true);
      assert.match(errorText(unknown), /Available vendors: cisco, paloalto/);
    });

    it('serves documents, chunks and product versions as resources', async () => {
      const { resourceTemplates } = await client.listResourceTemplates();
      assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate), [
        'mcdewey://documents/{doc_id}',
        'mcdewey://chunks/{chunk_id}',
        'mcdewey://products/{product}/versions/{version}',
      ]);
      const { resources } = await client.listResources();
      assert.ok(resources.some((r) => r.uri === `mcdewey://documents/${ASAV_919_DOC}`));
      assert.ok(resources.some((r) => r.uri === 'mcdewey://products/asav-autoscale-azure/versions/9.19'));

      const document = await client.readResource({ uri: `mcdewey://documents/${ASAV_919_DOC}` });
      const documentText = (document.contents[0] as { text: string }).text;
      assert.match(documentText, /^<!-- page 1/);
      assert.match(documentText, /metricsAverageDuration/);

      const hit = structured(await client.callTool({ name: 'search_docs', arguments: { query: 'metricsAverageDuration', product: ASAV, limit: 1 } })).hits[0];
      const encoded = await client.readResource({ uri: `mcdewey://chunks/${encodeURIComponent(hit.chunk_id)}` });
      assert.match((encoded.contents[0] as { text: string }).text, /metricsAverageDuration/);
      assert.match((encoded.contents[0] as { text: string }).text, /page 14/);

      const version = await client.readResource({ uri: 'mcdewey://products/asav-autoscale-azure/versions/9.15' });
      const listing = JSON.parse((version.contents[0] as { text: string }).text);
      assert.equal(listing.version, '9.15');
      assert.equal(listing.documents.length, 1);
      const latest = JSON.parse(((await client.readResource({ uri: 'mcdewey://products/asav-autoscale-azure/versions/latest' })).contents[0] as { text: string }).text);
      assert.deepEqual([latest.version, latest.latest], ['9.19', true], '"latest" names the newest version');

      await assert.rejects(client.readResource({ uri: 'mcdewey://documents/nothing::here::at::all' }), (error: { code?: number }) => error.code === -32602);
      await assert.rejects(client.readResource({ uri: 'mcdewey://products/asav-autoscale-azure/versions/13.0' }), (error: { code?: number }) => error.code === -32602);
    });

    it('completes product and version names', async () => {
      const ref = { type: 'ref/resource' as const, uri: 'mcdewey://products/{product}/versions/{version}' };
      const products = await client.complete({ ref, argument: { name: 'product', value: 'asav' } });
      assert.deepEqual(products.completion.values, [ASAV]);
      const versions = await client.complete({ ref, argument: { name: 'version', value: '' }, context: { arguments: { product: 'ftdv-autoscale-aws' } } });
      assert.deepEqual(versions.completion.values, ['latest-2025-06', '6.7.0', '6.6.0']);
    });
  });
}

describe('SDK v1 client (older hosts)', () => {
  it('initializes and calls search_docs', async () => {
    const client = new V1Client({ name: 'mcdewey-test-v1', version: '1' });
    await client.connect(new V1StreamableHTTPClientTransport(new URL(mcp.mcpUrl)));
    try {
      assert.equal(client.getServerVersion()?.name, 'mcdewey');
      assert.match(client.getInstructions() ?? '', /search_docs/);
      const { tools } = await client.listTools();
      assert.equal(tools[0]?.name, 'search_docs');
      const result = await client.callTool({ name: 'search_docs', arguments: { query: 'metricsAverageDuration', product: ASAV, version: '9.19' } });
      const top = structured(result as Parameters<typeof structured>[0]).hits[0];
      assert.equal(top.page, 14);
      assert.equal(top.version, '9.19');
    } finally {
      await client.close();
    }
  });
});
