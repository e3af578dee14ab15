import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../src/server/serve.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';
import { startTestServer } from '../support/server.js';
import { get, inOrder, textOf } from './web-server.js';

/**
 * The reading pages for documents without pages, over the real server: FRR's Sphinx manual (41 HTML
 * pages, one of them the 270-chunk BGP chapter) is read by section and cited by section, its pages
 * keep their reading order, and the library page folds and filters. The ASAv Azure 9.15 PDF shows
 * the PDF side of the same pages.
 */
const FRR = { path: 'markdown/frrouting-user-manual-html/8.4.4', labels: { vendor: 'FRRouting', product: 'frr', version: '8.4.4' } };
const BGP = 'frr::8.4.4::8.4.4::bgp';
const ASAV = 'asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915';

let fixture: Fixture;
let server: RunningServer;
before(async () => {
  fixture = await buildFixture({ sources: [FRR, 'pdf/cisco/asav-autoscale-azure/9.15'] });
  server = await startTestServer(fixture);
});
after(async () => {
  await server?.close();
  await fixture?.cleanup();
});

const headingIds = (html: string) => [...html.matchAll(/<h[1-6] id="(h-[^"]+)"/g)].map((m) => m[1]!);
const hrefs = (html: string, pattern: RegExp) => [...html.matchAll(/ href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((h) => pattern.test(h));

describe('the viewer, by section', () => {
  test('opens at the first section: no page numbers, the next section and the neighbouring documents', async () => {
    const { status, html } = await get(server, `/doc/${BGP}`);
    assert.equal(status, 200);
    const view = fixture.library.sections(BGP);
    assert.match(html, new RegExp(`<h2>Section: ${view.window.title} <span class="meta">part 1 of ${view.windowCount}</span></h2>`));
    assert.doesNotMatch(textOf(html), /\bPage 1\b|\bp\. 1\b/, 'no page numbers for a document without pages');
    assert.ok(hrefs(html, new RegExp(`^/doc/${BGP}\\?section=${view.next!.anchor}$`)).length === 2, 'next section, top and bottom');
    assert.match(html, /<span class="disabled">← Previous section<\/span>/);
    const order = fixture.library.readingOrder(BGP)!;
    assert.ok(inOrder(textOf(html), [`← Previous document: ${order.previous!.title}`, `Next document: ${order.next!.title} →`]));
    assert.match(html, /<nav class="reading-order" aria-label="Documents of this collection">/);
    assert.match(html, new RegExp(`<li class="here"><a href="/doc/${BGP}" aria-current="page">BGP</a></li>`));
  });

  test('every window renders the anchors the service gives its headings; outline links jump to them', async () => {
    const { sections, windowCount } = fixture.library.sections(BGP);
    const rendered: string[] = [];
    for (let part = 1; part <= windowCount; part++) {
      const { html } = await get(server, `/doc/${BGP}?part=${part}`);
      const ids = headingIds(html);
      assert.deepEqual(ids, sections.filter((s) => s.window === part - 1).map((s) => s.anchor), `part ${part}`);
      rendered.push(...ids);
      // Outline: a bare fragment within this window, the holding window elsewhere.
      for (const section of sections.filter((s) => s.level <= 3)) {
        const href = section.window === part - 1 ? `#${section.anchor}` : `/doc/${BGP}?section=${section.anchor}#${section.anchor}`;
        assert.ok(html.includes(`<a href="${href}">`), `part ${part}: outline link ${href}`);
      }
    }
    assert.deepEqual(rendered, sections.map((s) => s.anchor));
  });

  test('a section anchor or a chunk opens the window that holds it; the chunk is highlighted', async () => {
    const section = await get(server, `/doc/${BGP}?section=h-route-selection-2`);
    assert.ok(headingIds(section.html).includes('h-route-selection-2'));
    const chunk = fixture.library.chunksOf(BGP)[150]!;
    const { html } = await get(server, `/doc/${BGP}?chunk=${chunk.id}`);
    assert.match(html, new RegExp(`<section id="${chunk.id}" class="chunk highlighted" aria-current="true">`));
  });

  test('bad or unknown sections and parts are error pages that say what to do', async () => {
    const malformed = await get(server, `/doc/${BGP}?section=${encodeURIComponent('<script>')}`);
    assert.equal(malformed.status, 400);
    assert.match(textOf(malformed.html), /is not a section anchor.*pick one from the outline/);
    const unknown = await get(server, `/doc/${BGP}?section=h-no-such-heading`);
    assert.equal(unknown.status, 404);
    assert.match(textOf(unknown.html), /has no section "h-no-such-heading"/);
    assert.equal((await get(server, `/doc/${BGP}?part=0`)).status, 400);
    assert.equal((await get(server, `/doc/${BGP}?part=500`)).status, 404);
  });
});

describe('section citations on the web', () => {
  test('the chunk page names the section, cites it, and opens it in context without a page', async () => {
    const chunk = fixture.library.chunksOf(BGP).find((c) => c.headingPath.at(-1) === 'Route Selection' && c.headingPath.length === 3)!;
    const { html } = await get(server, `/chunk/${chunk.id}`);
    assert.match(html, /<h1>Section: Route Selection<\/h1>/);
    assert.doesNotMatch(html, /<th scope="row">page<\/th>/);
    const citation = `BGP, frr 8.4.4, section "${chunk.headingPath.join(' › ')}"`;
    assert.ok(textOf(html).includes(`citation ${citation}`), 'the citation is shown as text');
    assert.ok(html.includes(`data-citation="${citation.replace(/"/g, '&quot;')}"`), 'and is what the copy button copies');
    assert.ok(html.includes(`<a class="context-link" href="/doc/${BGP}?chunk=${chunk.id}#${chunk.id}">`));
    assert.ok(html.includes(`<a class="original-link" href="/doc/${BGP}/original">Open original</a>`));
  });

  test('search hits in a document without pages show and cite their section, never page 1', async () => {
    const { html } = await get(server, '/search?q=bgp+bestpath+compare-routerid&product=frr');
    const hit = /<li class="hit">([\s\S]*?)<\/li>/.exec(html)![1]!;
    assert.match(textOf(hit), /FRRouting \/ frr \/ 8\.4\.4 · Section: [^·]+ ›/);
    assert.doesNotMatch(textOf(hit), /Page 1/);
    assert.match(hit, /data-citation="BGP, frr 8\.4\.4, section &quot;BGP › [^"]+&quot;"/);
    assert.match(hit, /<a class="context-link" href="\/doc\/frr::8\.4\.4::8\.4\.4::bgp\?chunk=([^"#]+)#\1">/);
  });

  test('PDF hits keep their page, and "Open original" opens the PDF at it', async () => {
    const { html } = await get(server, '/search?q=asaAdminUserPassword');
    const hit = /<li class="hit">([\s\S]*?)<\/li>/.exec(html)![1]!;
    assert.match(textOf(hit), /· Page 8 ·/);
    assert.match(hit, /data-citation="Deploy the ASAv Auto Scale Solution on Microsoft Azure, asav-autoscale-azure 9\.15, page (8|\S+ \(PDF page 8\))"/);
    assert.ok(hit.includes(`<a class="original-link" href="/doc/${ASAV}/original#page=8">`));
  });
});

describe('the PDF viewer', () => {
  test('shows the original page beside the text, with the highlighted chunk boxed, under a header that names title, version and page', async () => {
    const chunkId = `${ASAV}::21`;
    const { html } = await get(server, `/doc/${ASAV}?page=8&chunk=${chunkId}`);
    const version = fixture.library.document(ASAV).contentHash.slice(0, 12);
    assert.ok(inOrder(html, ['<header class="doc-header">', 'cisco / asav-autoscale-azure / 9.15', '<h1>Deploy the ASAv', '<h2>Page 8 <span class="meta">of 28</span></h2>', '</header>']));
    assert.ok(html.includes(`<img class="page-scan" src="/doc/${ASAV}/page/8.png?w=1000&amp;v=${version}"`));
    assert.ok(html.includes(`<img class="page-highlight" src="/doc/${ASAV}/page/8.svg?chunk=${chunkId}&amp;v=${version}" alt="" aria-hidden="true"`));
    const plain = await get(server, `/doc/${ASAV}?page=3`);
    assert.match(plain.html, /class="page-scan"/);
    assert.doesNotMatch(plain.html, /class="page-highlight"/, 'no chunk, no boxes');
  });
});

describe('the library page', () => {
  test('folds products, lists a site in reading order, and says what each fold holds', async () => {
    const { html } = await get(server, '/library');
    assert.match(html, /<details class="vendor" id="vendor-frrouting" open>/);
    assert.match(html, /<details class="product" id="product-frr">/, 'products folded');
    assert.match(textOf(html), /frr 8\.4\.4 \(latest\) · 41 documents/);
    const order = fixture.library.readingOrder(BGP)!.documents.map((d) => `/doc/${d.docId}`);
    assert.deepEqual(hrefs(html, /^\/doc\/frr::/), order, 'FRR pages in reading order');
  });

  test('filters as a plain GET form: matching documents only, every fold open, a count', async () => {
    const { status, html } = await get(server, '/library?filter=bgp');
    assert.equal(status, 200);
    const shown = hrefs(html, /^\/doc\//);
    assert.ok(shown.length > 0 && shown.length < 10, shown.join(' '));
    assert.ok(shown.includes(`/doc/${BGP}`));
    assert.match(html, /<details class="product" id="product-frr" open>/);
    assert.doesNotMatch(html, /id="product-asav-autoscale-azure"/);
    assert.match(textOf(html), new RegExp(`${shown.length} documents? of 42 match “bgp”`));
    assert.match(html, /<input type="search" id="library-filter" name="filter" value="bgp"/);
    assert.match(textOf((await get(server, '/library?filter=zzzz+nothing')).html), /No document matches “zzzz nothing”/);
    assert.equal((await get(server, `/library?filter=${'x'.repeat(300)}`)).status, 400);
  });
});
