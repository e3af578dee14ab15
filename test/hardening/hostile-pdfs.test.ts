import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { createDeflate } from 'node:zlib';
import { after, before, test } from 'node:test';
import { corpusPath } from '../support/corpus.js';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';
import { DEFAULT_CHUNKING } from '../../src/ingest/chunking/chunker.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { assertLibraryConsistent, mcdewey, snapshotLibrary } from './library-state.js';
import { buildPdf, firstExtraObject, rc4Encryption, streamObject, textContent } from './pdf-builder.js';
import { fileSource } from '../../src/ingest/sources/source.js';
import { pdfOfPages, renderPageImage, scannedCopy } from '../support/scanned-pdf.js';

/**
 * Hostile PDFs through the real CLI (and, for the conversion limits, the service), each proving
 * that the file fails alone with an error naming it and its problem, the rest of the batch is
 * added, and the library keeps exactly what it had (same documents, same files, `check` OK):
 *
 * - truncated at 10 %, 50 % and 99.9 % of a real corpus PDF, and with only its last 10 bytes cut:
 *   "the file is truncated" (pdf.js would read a cut-off file as far as it goes, silently);
 * - a truncated copy of a document already in the library: the old version stays, byte for byte;
 * - cross-reference table and trailer blanked out (unrecoverable): "not a readable PDF";
 * - cross-reference table scribbled over, or startxref pointing at garbage (recoverable): pdf.js
 *   rebuilds it by scanning, so the document is added with a warning and the same text, page by
 *   page, as the intact file (its headings may differ: the outline can be lost);
 * - RC4 password protection: "password-protected", with the qpdf command in the hint;
 * - an image-only page with nothing legible on it: OCR runs and finds no text, and says so; a
 *   vector-only page (nothing OCR can read): "no text layer … (a scanned PDF?)";
 * - a scanned page of a real guide is read by OCR and marked in the library file; without
 *   tesseract or pdftoppm on PATH, the error names the Debian package to install;
 * - junk bytes and an empty file named .pdf; a page tree that contains itself; 100,000 nested
 *   arrays;
 * - 3,000 pages: ingested within the default limits, every chunk on a page in range;
 * - one 2 MB page: bounded chunks, no crash;
 * - a content stream pdf.js grinds through for seconds (four million operators) and a Flate bomb
 *   (600 MB of spaces in 0.6 MB, decoded outside the V8 heap): stopped by the per-document time
 *   limit and by the memory watch, while the next file in each batch is added.
 */

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-hostile-pdf-'));
const data = path.join(sandbox, 'data');
const batch = path.join(sandbox, 'batch');
const PANORAMA = corpusPath('pdf', 'paloalto', 'panorama-azure-plugin', '2.0.0', 'Azure-plugin-on-Panorama-Version2-0-0.pdf');
const ONE_PAGE = corpusPath('pdf', 'paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf');
const SIX_PAGES = corpusPath('pdf', 'paloalto', 'vm-series-aws-autoscaling-template', '1.0', 'Release_Notes_AWS_CFT_v1.pdf');
const LABELS = ['--vendor', 'Hostile', '--product', 'pdfs', '--version', '1'];

interface AddJson { summary: Record<string, number>; results: { file: string; status: string; error?: string; warnings: string[] }[] }

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(batch, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

function addJson(args: string[], env?: NodeJS.ProcessEnv): { status: number; json: AddJson; stderr: string } {
  const result = mcdewey(data, ['add', ...args, '--json'], env ? { env } : {});
  return { status: result.status, json: JSON.parse(result.stdout) as AddJson, stderr: result.stderr };
}

/** Writes `count` bytes of `fill`, Flate-compressed, without holding them in memory. */
async function deflatedRun(count: number, fill: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (part: Buffer) => parts.push(part));
  const block = Buffer.alloc(1 << 20, fill);
  for (let written = 0; written < count; written += block.length) {
    if (!deflate.write(block)) await once(deflate, 'drain');
  }
  deflate.end();
  await once(deflate, 'end');
  return Buffer.concat(parts);
}

const real = fs.readFileSync(SIX_PAGES);
const cut = (share: number) => new Uint8Array(real.subarray(0, Math.floor(real.length * share)));

/** Hostile file → what its error must say. */
const HOSTILE: Record<string, { bytes: () => Uint8Array; problem: RegExp }> = {
  'truncated-10.pdf': { bytes: () => cut(0.1), problem: /not a readable PDF \(the file is truncated/ },
  'truncated-50.pdf': { bytes: () => cut(0.5), problem: /not a readable PDF \(the file is truncated/ },
  'truncated-99.pdf': { bytes: () => cut(0.999), problem: /not a readable PDF \(the file is truncated/ },
  'truncated-tail.pdf': { bytes: () => new Uint8Array(real.subarray(0, real.length - 10)), problem: /the file is truncated/ },
  'xref-and-trailer-gone.pdf': {
    bytes: () => {
      const text = real.toString('latin1');
      const startxref = text.lastIndexOf('startxref');
      const damaged = Buffer.from(real);
      damaged.fill(0x20, text.lastIndexOf('xref', startxref - 1), startxref);
      return new Uint8Array(damaged);
    },
    problem: /not a readable PDF \(/,
  },
  'encrypted.pdf': { bytes: () => buildPdf([{ content: textContent(['Secret'])}], { encrypt: rc4Encryption('user-secret', 'owner-secret') }), problem: /the PDF is password-protected\. Remove the password \(e\.g\. `qpdf --decrypt/ },
  'image-only.pdf': {
    bytes: () => buildPdf(
      [{ content: 'q 500 0 0 700 50 50 cm /Im1 Do Q', resources: `/XObject << /Im1 ${firstExtraObject(1)} 0 R >>` }],
      { extraObjects: [streamObject(Buffer.alloc(32 * 32 * 3, 0x80), { dictionary: '/Type /XObject /Subtype /Image /Width 32 /Height 32 /ColorSpace /DeviceRGB /BitsPerComponent 8' })] },
    ),
    problem: /its only page has no text layer, and OCR found no text in its images\. Check that the scan is legible/,
  },
  'vector-only.pdf': {
    bytes: () => buildPdf([{ content: '0 0 1 rg 100 100 200 200 re f 10 w 0 0 m 600 700 l S' }, { content: '1 0 0 RG 5 w 50 50 m 500 500 l S' }]),
    problem: /no text layer on any of its 2 pages \(a scanned PDF\?\)\. Run OCR on it first/,
  },
  'junk.pdf': { bytes: () => new TextEncoder().encode('PK\u0003\u0004 this is a zip, or anything but a PDF '.repeat(200)), problem: /not a readable PDF \(it does not start with %PDF-, so it is not a PDF file\)/ },
  'empty.pdf': { bytes: () => new Uint8Array(0), problem: /not a readable PDF \(the file is empty\)/ },
  'page-tree-cycle.pdf': { bytes: () => buildPdf([{ content: textContent(['x']) }], { kids: '2 0 R' }), problem: /not a readable PDF \(Pages tree contains circular reference\)/ },
  'nested-100000.pdf': {
    bytes: () => buildPdf([{ content: textContent(['hello world']), resources: `/Deep ${'['.repeat(100_000)}${']'.repeat(100_000)}` }]),
    problem: /not a readable PDF \(/,
  },
};

before(() => {
  fs.mkdirSync(batch, { recursive: true });
  const base = mcdewey(data, ['add', ONE_PAGE, '--vendor', 'Palo Alto', '--product', 'azure-template', '--version', '1.1']);
  assert.equal(base.status, 0, base.stderr);
});
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

test('a batch of hostile PDFs: each fails alone, naming the file and the problem, and the good files are added', async () => {
  const before = await assertLibraryConsistent(data);
  const files = Object.fromEntries(Object.entries(HOSTILE).map(([name, { bytes }]) => [name, write(`hostile/${name}`, bytes())]));
  const good = [write('hostile/good-one-page.pdf', fs.readFileSync(ONE_PAGE)), write('hostile/good-six-pages.pdf', real)];

  const { status, json } = addJson([path.join(batch, 'hostile'), ...LABELS]);
  assert.equal(status, 1, 'a batch with failures exits non-zero');
  assert.deepEqual(json.summary, { added: 2, updated: 0, unchanged: 0, failed: Object.keys(HOSTILE).length, skipped: 0 });
  for (const [name, { problem }] of Object.entries(HOSTILE)) {
    const result = json.results.find((r) => r.file === files[name]);
    assert.ok(result, name);
    assert.equal(result.status, 'failed', name);
    assert.ok(result.error?.startsWith(`${files[name]}: `), `${name}: the error names the file: ${result.error}`);
    assert.match(result.error!, problem, name);
  }
  for (const file of good) assert.equal(json.results.find((r) => r.file === file)?.status, 'added', file);

  const after = await assertLibraryConsistent(data);
  const added = Object.keys(after.files).filter((f) => !(f in before.files));
  assert.deepEqual(added.sort(), ['pdfs/1/good-one-page/good-one-page.md', 'pdfs/1/good-six-pages/good-six-pages.md']);
  for (const [file, hash] of Object.entries(before.files)) assert.equal(after.files[file], hash, `${file} is untouched`);
});

test('a truncated copy of a document already in the library leaves the old version exactly as it was', async () => {
  const original = write('replace/manual.pdf', real);
  assert.equal(addJson([original, ...LABELS]).json.summary.added, 1);
  const before = await assertLibraryConsistent(data);
  fs.writeFileSync(original, cut(0.7));
  // Without --json, as a person sees it: a progress line naming the file, and a non-zero exit.
  const { status, stdout, stderr } = mcdewey(data, ['add', original, ...LABELS]);
  assert.equal(status, 1);
  assert.match(stderr, new RegExp(`failed {5}${original.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a readable PDF \\(the file is truncated`));
  assert.match(stdout, /0 added, 0 updated, 0 unchanged, 1 failed\./);
  assert.deepEqual(await assertLibraryConsistent(data), before);
});

test('a repairable cross-reference table is read by scanning: the same text as the intact file, and a warning', async () => {
  const intact = fs.readFileSync(PANORAMA);
  const text = intact.toString('latin1');
  const startxref = text.lastIndexOf('startxref');
  const xref = text.lastIndexOf('xref\n', startxref - 1);
  const scribbled = Buffer.from(intact);
  scribbled.fill(0x41, xref, xref + 400);
  const badOffset = Buffer.from(intact);
  const digits = /startxref\s+(\d+)/.exec(text.slice(startxref))!;
  badOffset.write('1'.repeat(digits[1]!.length - 1) + '7', startxref + digits[0].length - digits[1]!.length, 'latin1');
  const files = [write('xref/intact.pdf', intact), write('xref/scribbled.pdf', scribbled), write('xref/bad-offset.pdf', badOffset)];

  const { status, json } = addJson([path.join(batch, 'xref'), '--vendor', 'Hostile', '--product', 'xref', '--version', '1']);
  assert.equal(status, 0, JSON.stringify(json));
  // The words of every page; headings aside, since a scan-rebuilt file may lose its outline.
  const pagesOf = (name: string) => fs.readFileSync(path.join(data, 'library', 'xref', '1', name, `${name}.md`), 'utf8')
    .split(/^---$/m)[2]!.replace(/^#+ /gm, '');
  for (const name of ['scribbled', 'bad-offset']) {
    const result = json.results.find((r) => r.file === files[name === 'scribbled' ? 1 : 2])!;
    assert.deepEqual(result.warnings, ['the cross-reference table is damaged; the PDF was read by scanning it, so check the result']);
    assert.equal(pagesOf(name), pagesOf('intact'), `${name}: the same text, page by page, as the intact file`);
  }
  assert.deepEqual(json.results.find((r) => r.file === files[0])!.warnings, []);
  await assertLibraryConsistent(data);
});

test('a scanned PDF is read by OCR; without tesseract or pdftoppm the error names the package to install', async () => {
  const scanned = await scannedCopy(corpusPath('pdf', 'paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'AWS_Transit_VPC_deployment_guide.pdf'), [5]);
  const scan = write('scan/transit-scan.pdf', scanned);
  const added = addJson([scan, ...LABELS]);
  assert.equal(added.status, 0, JSON.stringify(added.json));
  assert.deepEqual(added.json.results[0]!.warnings, []);
  const file = fs.readFileSync(path.join(data, 'library', 'pdfs', '1', 'transit-scan', 'transit-scan.md'), 'utf8');
  assert.match(file, /^<!-- page 1 ocr -->$/m);
  assert.match(file, /This solution is released under an as-is, best effort, support policy\./);
  const search = mcdewey(data, ['search', 'as-is best effort support policy', '--json']);
  assert.equal(search.status, 0, search.stderr);
  assert.match(search.stdout, /pdfs::1::transit-scan::transit-scan::/);

  // PATH with pdftoppm but no tesseract, then with neither.
  const onlyPoppler = path.join(sandbox, 'only-poppler');
  fs.mkdirSync(onlyPoppler, { recursive: true });
  fs.symlinkSync('/usr/bin/pdftoppm', path.join(onlyPoppler, 'pdftoppm'));
  const empty = path.join(sandbox, 'empty-path');
  fs.mkdirSync(empty, { recursive: true });
  const copy = write('scan/transit-scan-copy.pdf', scanned);
  const noTesseract = addJson([copy, ...LABELS], { PATH: onlyPoppler }).json.results[0]!;
  assert.equal(noTesseract.status, 'failed');
  assert.match(noTesseract.error!, /its only page has no text layer, and OCR cannot run here: tesseract is not installed .*Install the Debian package tesseract-ocr \(apt install tesseract-ocr\)/);
  const noPoppler = addJson([copy, ...LABELS], { PATH: empty }).json.results[0]!;
  assert.match(noPoppler.error!, /pdftoppm is not installed .*Install the Debian package poppler-utils \(apt install poppler-utils\)/);

  // A document with typed pages is added without the scanned one, with a warning naming the package.
  const mixed = write('scan/mixed.pdf', pdfOfPages([{ lines: ['A typed page about the transit VPC deployment.'] }, await renderPageImage(corpusPath('pdf', 'paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'AWS_Transit_VPC_deployment_guide.pdf'), 5)]));
  const partly = addJson([mixed, ...LABELS], { PATH: onlyPoppler });
  assert.equal(partly.status, 0, JSON.stringify(partly.json));
  assert.equal(partly.json.results[0]!.status, 'added');
  assert.match(partly.json.results[0]!.warnings.join('\n'), /^page 2 has no text layer and could not be read by OCR: tesseract is not installed .*install the Debian package tesseract-ocr/m);
  await assertLibraryConsistent(data);
});

const WORDS = 'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(' ');
/** Distinct sentences (identical lines on every page would be dropped as running headers). */
const sentence = (n: number) => `${Array.from({ length: 12 }, (_, i) => WORDS[(n * 7 + i * 13 + Math.floor(n / 26)) % 26]).join(' ')} item${n}.`;

function chunksOf(docId: string) {
  const store = new SqliteStore(path.join(data, 'index.sqlite'), { readonly: true });
  try {
    const doc = store.document(docId)!;
    return { doc, chunks: store.chunksByOrdinal(doc.rowid, 0, Number.MAX_SAFE_INTEGER) };
  } finally {
    store.close();
  }
}

test('3,000 pages ingest within the default limits, and every chunk sits on a page in range', async () => {
  const pages = Array.from({ length: 3000 }, (_, p) => ({
    content: textContent([`Section ${WORDS[p % 26]} ${WORDS[Math.floor(p / 26) % 26]}`, sentence(p * 3), sentence(p * 3 + 1), sentence(p * 3 + 2)]),
  }));
  const file = write('long/thousands.pdf', buildPdf(pages));
  const { status, json } = addJson([file, ...LABELS]);
  assert.equal(status, 0, JSON.stringify(json));
  const { doc, chunks } = chunksOf('pdfs::1::thousands::thousands');
  assert.equal(doc.pageCount, 3000);
  assert.ok(chunks.length >= 2000, `${chunks.length} chunks`);
  chunks.forEach((chunk, i) => {
    assert.equal(chunk.ordinal, i);
    assert.ok(chunk.page >= 1 && chunk.pageEnd <= 3000 && chunk.pageEnd >= chunk.page, JSON.stringify(chunk));
  });
  assert.ok(chunks.some((c) => c.page === 3000 && c.text.includes(`item${2999 * 3}.`)), 'the last page is indexed');
  await assertLibraryConsistent(data);
});

test('one page holding 2 MB of text gives bounded chunks', async () => {
  const lines = Array.from({ length: 24_000 }, (_, i) => sentence(i));
  const height = lines.length * 14 + 100;
  const file = write('giant/giant-page.pdf', buildPdf([{ content: textContent(lines, 14, height - 50), compress: true, size: [612, height] }]));
  const { status, json } = addJson([file, ...LABELS]);
  assert.equal(status, 0, JSON.stringify(json));
  const { chunks } = chunksOf('pdfs::1::giant-page::giant-page');
  const text = chunks.reduce((sum, c) => sum + c.text.length, 0);
  assert.ok(text > 2_000_000, `${text} characters indexed`);
  for (const chunk of chunks) {
    assert.equal(chunk.page, 1);
    assert.ok(chunk.tokenCount <= DEFAULT_CHUNKING.maxTokens, `chunk ${chunk.ordinal} has ${chunk.tokenCount} tokens`);
  }
  await assertLibraryConsistent(data);
});

test('the per-document time and memory limits stop a looping or ballooning PDF, and the batch goes on', async () => {
  // Four million graphics operators: pdf.js grinds through them for several seconds, in little memory.
  const endless = write('limits/endless.pdf', buildPdf([{ content: `${'1 0 0 1 0 0 cm '.repeat(4_000_000)} BT /F1 12 Tf 72 700 Td (end) Tj ET`, compress: true }]));
  // 600 MB of spaces in 0.6 MB: decoded outside the worker's V8 heap, so only the memory watch sees it.
  const bombStream = await deflatedRun(600 * 1_048_576, 0x20);
  const bomb = write('limits/flate-bomb.pdf', buildPdf([{ content: textContent(['cover']) }], {
    extraObjects: [Buffer.concat([Buffer.from(`<< /Length ${bombStream.length} /Filter /FlateDecode >>\nstream\n`, 'latin1'), bombStream, Buffer.from('\nendstream', 'latin1')])],
  }));
  // Point page 1 at the bomb (same length, so the cross-reference offsets still hold).
  fs.writeFileSync(bomb, Buffer.from(fs.readFileSync(bomb).toString('latin1').replace('/Contents 5 0 R', `/Contents ${firstExtraObject(1)} 0 R`), 'latin1'));
  const good = (name: string) => write(`limits/${name}.pdf`, fs.readFileSync(ONE_PAGE));
  const source = (file: string) => fileSource(file, { vendor: 'Hostile', product: 'pdfs', version: '1', document: path.basename(file, '.pdf') });

  const before = snapshotLibrary(data);
  const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'write');
  try {
    const timed = await library.add([endless, good('after-endless')].map(source), undefined, { conversionLimits: { timeoutMs: 1500, msPerMegabyte: 0, maxMemoryMb: 512 } });
    assert.equal(timed[0]!.status, 'failed');
    assert.match(timed[0]!.error!, /endless\.pdf: conversion took longer than 2 s and was stopped\. The file may be malformed \(a parser loop\) or very large/);
    assert.equal(timed[1]!.status, 'added', timed[1]!.error);

    const started = Date.now();
    const ballooned = await library.add([bomb, good('after-bomb')].map(source), undefined, { conversionLimits: { timeoutMs: 60_000, msPerMegabyte: 0, maxMemoryMb: 128 } });
    assert.equal(ballooned[0]!.status, 'failed');
    assert.match(ballooned[0]!.error!, /flate-bomb\.pdf: conversion needed more than 128 MB of memory\. The file is probably malformed/);
    assert.ok(Date.now() - started < 30_000, 'the memory watch stopped it, not the time limit');
    assert.equal(ballooned[1]!.status, 'added', ballooned[1]!.error);
  } finally {
    await library.close();
  }
  const after = await assertLibraryConsistent(data);
  assert.deepEqual(Object.keys(after.files).filter((f) => !(f in before.files)).sort(), ['pdfs/1/after-bomb/after-bomb.md', 'pdfs/1/after-endless/after-endless.md']);
});
