import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { partitionWindows, WINDOW_TOKENS, type WindowUnit } from '../../src/service/section-windows.js';
import { searchHitJson } from '../../src/present/search-json.js';
import { buildFixture, type Fixture } from '../support/library-fixture.js';

/**
 * Documents without pages are read and cited by section: FRR's one-page BGP manual (270 chunks) is
 * cut into windows of whole sections with stable heading anchors, a site keeps its reading order,
 * and its hits are cited by section, never "page 1".
 */
const FRR = { path: 'markdown/frrouting-user-manual-html/8.4.4', labels: { vendor: 'FRRouting', product: 'frr', version: '8.4.4' } };
const BGP = 'frr::8.4.4::8.4.4::bgp';

let fixture: Fixture;
before(async () => {
  fixture = await buildFixture({ sources: [FRR, 'pdf/cisco/asav-autoscale-azure/9.15'] });
});
after(async () => {
  await fixture?.cleanup();
});

describe('reading windows', () => {
  test('cover every chunk once, in order, within the budget, each opening at a heading unless a section is cut by size', () => {
    const chunks = fixture.library.chunksOf(BGP);
    assert.ok(chunks.length > 200, `the BGP manual is long (${chunks.length} chunks)`);
    const first = fixture.library.sections(BGP);
    assert.ok(first.windowCount >= 10, `read in many windows (${first.windowCount})`);
    const seen: number[] = [];
    for (let part = 1; part <= first.windowCount; part++) {
      const view = fixture.library.sections(BGP, { part });
      assert.equal(view.window.index, part - 1);
      const tokens = view.chunks.reduce((n, c) => n + c.tokenCount, 0);
      assert.ok(tokens <= WINDOW_TOKENS || view.chunks.length === 1, `part ${part}: ${tokens} tokens in ${view.chunks.length} chunks`);
      seen.push(...view.chunks.map((c) => c.ordinal));
      if (view.window.anchor) assert.match(view.chunks[0]!.text, /^#{1,6} /, `part ${part} opens at its heading`);
      else assert.match(view.window.title, /\(continued\)$/);
      assert.equal(view.previous?.index, part > 1 ? part - 2 : undefined);
      assert.equal(view.next?.index, part < first.windowCount ? part : undefined);
    }
    assert.deepEqual(seen, chunks.map((c) => c.ordinal));
  });

  test('headings get unique anchors; a repeated heading is numbered; an anchor, a chunk or a part opens the window that holds it', () => {
    const { sections } = fixture.library.sections(BGP);
    assert.equal(new Set(sections.map((s) => s.anchor)).size, sections.length, 'anchors are unique');
    const routeSelection = sections.filter((s) => s.text === 'Route Selection').map((s) => s.anchor);
    assert.deepEqual(routeSelection, ['h-route-selection', 'h-route-selection-2']);
    const second = sections.find((s) => s.anchor === 'h-route-selection-2')!;
    const view = fixture.library.sections(BGP, { section: 'h-route-selection-2' });
    assert.equal(view.window.index, second.window);
    assert.ok(view.chunks.some((c) => c.ordinal === second.ordinal));
    assert.deepEqual(view.headingsBefore, sections.filter((s) => s.ordinal < view.chunks[0]!.ordinal).map((s) => s.text));
    const chunk = fixture.library.chunksOf(BGP)[200]!;
    assert.ok(fixture.library.sections(BGP, { chunk: chunk.id }).chunks.some((c) => c.id === chunk.id));
  });

  test('anchors survive a rebuild of the index (they come from the document alone)', async () => {
    const before = fixture.library.sections(BGP).sections;
    await fixture.library.reindex();
    assert.deepEqual(fixture.library.sections(BGP).sections, before);
  });

  test('an unknown section or part is an error that says what exists', () => {
    assert.throws(() => fixture.library.sections(BGP, { section: 'h-nothing-like-this' }), /has no section "h-nothing-like-this".*outline/);
    assert.throws(() => fixture.library.sections(BGP, { part: 999 }), /has no part 999.*Parts run from 1 to \d+/);
  });

  test('the partition: small sections are read together, a long one is cut at its shallowest headings, a run without any by size', () => {
    const unit = (tokens: number, level?: number): WindowUnit => (level === undefined ? { tokens } : { tokens, level });
    // The introduction and three small level-2 sections fit one window; the big fourth section is cut
    // at its level-3 headings (its opening read with the first), and its last part, without headings, by size.
    const units = [unit(100, 1), unit(100, 2), unit(100, 2), unit(100, 2), unit(300, 2), unit(400, 3), unit(400, 3), unit(400), unit(400)];
    assert.deepEqual(partitionWindows(units, 1000), [{ start: 0, end: 4 }, { start: 4, end: 6 }, { start: 6, end: 8 }, { start: 8, end: 9 }]);
    assert.deepEqual(partitionWindows([unit(600, 1), unit(600), unit(600), unit(600)], 1000), [
      { start: 0, end: 1 }, { start: 1, end: 2 }, { start: 2, end: 3 }, { start: 3, end: 4 },
    ]);
    assert.deepEqual(partitionWindows([unit(5000, 1)], 1000), [{ start: 0, end: 1 }], 'one oversized chunk is a window of its own');
    assert.deepEqual(partitionWindows([]), []);
  });
});

describe('reading order of a site', () => {
  test('FRR\'s pages keep their folder order, index first, with the documents before and after', () => {
    const order = fixture.library.readingOrder(BGP)!;
    assert.equal(order.documents.length, 41);
    assert.equal(order.documents[0]!.docId, 'frr::8.4.4::8.4.4::index');
    assert.equal(order.documents[order.position]!.docId, BGP);
    assert.equal(order.previous, order.documents[order.position - 1]);
    assert.equal(order.next, order.documents[order.position + 1]);
    assert.deepEqual(order.documents.map((d) => d.docId), fixture.library.documents({ product: 'frr' })
      .sort((a, b) => a.navigation!.order - b.navigation!.order).map((d) => d.docId));
    assert.equal(fixture.library.readingOrder('asav-autoscale-azure::9.15::asav_azure_autoscale_v915::asav_azure_autoscale_v915'), undefined, 'a lone manual has none');
  });
});

describe('citations', () => {
  test('hits in documents without pages are cited by section; PDF hits by page and printed page', async () => {
    const [html] = (await fixture.library.search({ query: 'bgp bestpath compare-routerid', product: 'frr' })).hits;
    assert.ok(html && html.format === 'html');
    const json = searchHitJson(html);
    assert.equal(json.citation, `BGP, ${html.productLabel} 8.4.4, section "${html.headingPath.join(' › ')}"`);
    assert.doesNotMatch(json.citation, /page/);
    const [pdf] = (await fixture.library.search({ query: 'asaAdminUserPassword' })).hits;
    assert.ok(pdf && pdf.format === 'pdf');
    assert.match(searchHitJson(pdf).citation, new RegExp(`, ${pdf.productLabel} 9\\.15, page \\S+( \\(PDF page ${pdf.page}\\))?$`));
  });
});
