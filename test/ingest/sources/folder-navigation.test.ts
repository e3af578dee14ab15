import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { discover, type LabelFlags } from '../../../src/ingest/sources/discover.js';

const discoverSources = (input: string, flags: LabelFlags = {}) => discover(input, flags).sources;
import { parseMkDocsNav } from '../../../src/ingest/sources/mkdocs-nav.js';
import { corpusPath } from '../../support/corpus.js';

/**
 * Folder ingestion keeps a site's or a folder tree's reading order: NetBox's mkdocs.yml nav (its
 * parent folder's), a plain tree depth-first with index/README first, and nothing for a lone file or
 * a shelf of separate PDFs.
 */
const NETBOX = { vendor: 'NetBox', product: 'netbox', version: '4.4' };
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-nav-'));
after(() => fs.rmSync(temp, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(temp, 'tree-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

/** Relative paths in reading order, with their trails. */
function readingOrder(root: string, flags = { vendor: 'v', product: 'p', version: '1' }): [string, string][] {
  return discoverSources(root, flags)
    .sort((a, b) => a.navigation!.order - b.navigation!.order)
    .map((s) => [path.relative(root, s.path).split(path.sep).join('/'), s.navigation!.trail.join(' › ')]);
}

test('NetBox: the MkDocs nav of the parent folder orders all 260 pages, with its section titles as trails', () => {
  const sources = discoverSources(corpusPath('markdown', 'netbox-docs', 'docs'), NETBOX);
  assert.equal(sources.length, 260);
  assert.ok(sources.every((s) => s.navigation && s.labels.collection === 'docs'), 'one collection, every page placed');
  const ordered = [...sources].sort((a, b) => a.navigation!.order - b.navigation!.order);
  assert.deepEqual(ordered.map((s) => s.navigation!.order), [...Array(260).keys()], 'positions 0..259');
  const at = (order: number) => {
    const source = ordered[order]!;
    return [path.relative(corpusPath('markdown', 'netbox-docs', 'docs'), source.path).split(path.sep).join('/'), source.navigation!.trail.join(' › ')];
  };
  // index.md is `not_in_nav`, yet it is the home page: it leads.
  assert.deepEqual(at(0), ['index.md', '']);
  assert.deepEqual(at(1), ['introduction.md', '']);
  assert.deepEqual(at(2), ['features/facilities.md', 'Features']);
  assert.deepEqual(at(3), ['features/devices-cabling.md', 'Features']);
  const circuit = ordered.findIndex((s) => s.path.endsWith(path.join('models', 'circuits', 'circuit.md')));
  assert.deepEqual(at(circuit), ['models/circuits/circuit.md', 'Data Model › Circuits']);
  const entra = ordered.findIndex((s) => s.path.endsWith('microsoft-entra-id.md'));
  assert.deepEqual(at(entra), ['administration/authentication/microsoft-entra-id.md', 'Administration › Authentication']);
  assert.ok(entra > ordered.findIndex((s) => s.path.endsWith(path.join('authentication', 'google.md'))), 'nav order, not alphabetical');
});

test('a folder tree without a nav: depth-first, index or README first, names in natural order, folder names as trails', () => {
  const root = tree({
    'zeta.md': '# Z', 'README.md': '# Readme', 'guide/10-later.md': '# 10', 'guide/2-early.md': '# 2',
    'guide/index.md': '# Guide', 'guide/deep/a.md': '# A', 'alpha.md': '# Alpha',
  });
  assert.deepEqual(readingOrder(root), [
    ['README.md', ''],
    ['alpha.md', ''],
    ['guide/index.md', 'guide'],
    ['guide/2-early.md', 'guide'],
    ['guide/10-later.md', 'guide'],
    ['guide/deep/a.md', 'guide › deep'],
    ['zeta.md', ''],
  ]);
  assert.equal(new Set(discoverSources(root, { vendor: 'v', product: 'p', version: '1' }).map((s) => s.labels.collection)).size, 1, 'top-level pages join the tree\'s collection');
});

test('an mkdocs.yml in the added folder itself: nav paths are read below its docs_dir; pages left out come last', () => {
  const root = tree({
    'mkdocs.yml': "site_name: X\ndocs_dir: 'src'\nnav:\n  - Home: index.md\n  - 'Guide':\n    - \"Start here\": guide/start.md   # comment\n    - External: https://example.com/\n  - guide/end.md\ntheme: material\n",
    'src/index.md': '# Home', 'src/guide/start.md': '# Start', 'src/guide/end.md': '# End', 'src/guide/aside.md': '# Aside',
  });
  assert.deepEqual(readingOrder(root), [
    ['src/index.md', ''],
    ['src/guide/start.md', 'Guide'],
    ['src/guide/end.md', ''],
    ['src/guide/aside.md', 'guide'],
  ]);
});

test('a lone file, and a flat folder of PDFs (separate books), get no reading order', () => {
  const root = tree({ 'only.md': '# Only' });
  assert.equal(discoverSources(path.join(root, 'only.md'), { vendor: 'v', product: 'p', version: '1' })[0]!.navigation, undefined);
  assert.ok(discoverSources(corpusPath('pdf', 'cisco', 'ftdv-autoscale-aws')).every((s) => s.navigation === undefined));
});

test('the MkDocs nav reader: sections, quoted titles and paths, comments, external links, the end of the block', () => {
  const nav = parseMkDocsNav([
    'site_name: "A: B"',
    'nav:',
    "    - 'Intro: the start': 'intro.md'",
    '    - Section:',
    '        - Sub:',
    '            - "a.md"',
    '        - B page: b.md # trailing comment',
    '    - Site: https://example.com/x.md',
    '    - last.md',
    'markdown_extensions:',
    '    - admonition',
  ].join('\n'));
  assert.deepEqual(nav, {
    docsDir: 'docs',
    pages: [
      { file: 'intro.md', trail: [] },
      { file: 'a.md', trail: ['Section', 'Sub'] },
      { file: 'b.md', trail: ['Section'] },
      { file: 'last.md', trail: [] },
    ],
  });
  assert.equal(parseMkDocsNav('site_name: x\n'), undefined);
});
