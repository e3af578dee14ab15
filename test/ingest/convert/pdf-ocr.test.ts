import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { corpusPath } from '../../support/corpus.js';
import { pdfOfPages, renderPageImage, scannedCopy, type PageImage } from '../../support/scanned-pdf.js';
import { markdownWords, words, wordsRecovered } from '../../support/word-overlap.js';
import { serializeDocumentFile, parseDocumentFile } from '../../../src/library/document-file.js';
import type { DocumentMeta } from '../../../src/library/model.js';
import { convertPdf } from '../../../src/ingest/convert/pdf.js';
import { recognisedRuns } from '../../../src/ingest/convert/pdf/ocr/ocr-runs.js';
import { parseHocr } from '../../../src/ingest/convert/pdf/ocr/tesseract-hocr.js';
import { resolveOcrOptions } from '../../../src/ingest/convert/pdf/ocr/ocr-options.js';
import { ConversionError } from '../../../src/ingest/convert/types.js';

/**
 * OCR of pages without a text layer: a real corpus page rendered at 300 dpi into an image-only
 * PDF (as a scanner writes it) is read back by pdftoppm + tesseract through the normal layout,
 * marked as OCR'd, and survives the document file; a machine without the tools gets the Debian
 * package to install and keeps the rest of the document.
 */
const run = promisify(execFile);
const TRANSIT = corpusPath('pdf', 'paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'AWS_Transit_VPC_deployment_guide.pdf');
const PAGE = 5;
const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-ocr-test-'));
let scan: PageImage;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

/** An executable shell script standing in for a tool. */
function standIn(name: string, script: string): string {
  const file = path.join(sandbox, name);
  fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return file;
}

before(async () => {
  scan = await renderPageImage(TRANSIT, PAGE);
});
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));

describe('OCR of a scanned page', () => {
  it('recovers at least 90 % of the words of the page, in order, and marks the page', async () => {
    const { stdout } = await run('pdftotext', ['-f', String(PAGE), '-l', String(PAGE), TRANSIT, '-']);
    const doc = await convertPdf({ bytes: pdfOfPages([scan]), fileName: 'scanned.pdf' });
    assert.equal(doc.pages.length, 1);
    assert.equal(doc.pages[0]!.ocr, true);
    assert.deepEqual(doc.warnings, []);
    const recovered = wordsRecovered(words(stdout), markdownWords(doc.pages[0]!.markdown));
    assert.ok(recovered >= 0.9, `${(recovered * 100).toFixed(1)} % of the words recovered`);
    // Headings come through the same layout as typed text.
    assert.match(doc.pages[0]!.markdown, /^#+ 3\. Support Policy$/m);
  });

  it('reads only the scanned page of a mixed document, and the OCR marker survives the document file', async () => {
    const doc = await convertPdf({ bytes: pdfOfPages([{ lines: ['A typed first page about the transit VPC.'] }, scan]), fileName: 'mixed.pdf' });
    assert.deepEqual(doc.pages.map((p) => p.ocr === true), [false, true]);
    const meta: DocumentMeta = {
      key: { product: 'transit-vpc', version: '1', collection: 'guide', document: 'guide' },
      vendor: 'paloalto', vendorLabel: 'Palo Alto', productLabel: 'Transit VPC', versionLabel: '1', title: doc.title,
      sourcePath: 'transit-vpc/1/guide/guide.md', originalFile: 'mixed.pdf', format: 'pdf', contentHash: 'x',
      pageCount: doc.pages.length, convertedAt: '2026-01-01T00:00:00.000Z',
    };
    const file = serializeDocumentFile(meta, doc.pages);
    assert.match(file, /^<!-- page 2 ocr -->$/m);
    assert.match(file, /^<!-- page 1 -->$/m);
    assert.deepEqual(parseDocumentFile(file, 'guide.md').pages, doc.pages.map((p) => ({ ...p, markdown: p.markdown.trimEnd() })));
  });
});

describe('OCR without its tools', () => {
  it('adds a mixed document without the scanned page, with a warning naming tesseract-ocr', async () => {
    const bytes = pdfOfPages([{ lines: ['A typed page that stays.'] }, scan]);
    const doc = await convertPdf({ bytes, fileName: 'mixed.pdf', ocr: { tesseract: path.join(sandbox, 'no-such-tesseract') } });
    assert.match(doc.pages[0]!.markdown, /A typed page that stays\./);
    assert.equal(doc.pages[1]!.markdown, '');
    assert.equal(doc.pages[1]!.ocr, undefined);
    assert.equal(doc.warnings.length, 1);
    assert.match(doc.warnings[0]!, /^page 2 has no text layer and could not be read by OCR: tesseract \(.*no-such-tesseract\) is not installed \(it reads the text in them\); install the Debian package tesseract-ocr \(apt install tesseract-ocr\)/);
  });

  it('refuses a fully scanned document with an error naming the package to install', async () => {
    const bytes = pdfOfPages([scan]);
    const noTesseract = await rejection(convertPdf({ bytes, fileName: 'scan.pdf', ocr: { tesseract: path.join(sandbox, 'missing') } }));
    assert.ok(noTesseract instanceof ConversionError, String(noTesseract));
    assert.match(noTesseract.problem, /^its only page has no text layer, and OCR cannot run here: tesseract .* is not installed/);
    assert.equal(noTesseract.hint, 'Install the Debian package tesseract-ocr (apt install tesseract-ocr) and add the file again, or add a copy that has a text layer.');
    const noRenderer = await rejection(convertPdf({ bytes, fileName: 'scan.pdf', ocr: { pdftoppm: path.join(sandbox, 'missing') } }));
    assert.ok(noRenderer instanceof ConversionError);
    assert.match(noRenderer.problem, /pdftoppm .* is not installed \(it renders scanned pages to images\)/);
    assert.match(noRenderer.hint, /apt install poppler-utils/);
  });

  it('names the language pack tesseract lacks', async () => {
    const doc = await convertPdf({ bytes: pdfOfPages([{ lines: ['Typed.'] }, scan]), fileName: 'x.pdf', ocr: { languages: 'xyz' } });
    assert.match(doc.warnings[0]!, /tesseract has no data for the language "xyz"; install the Debian package tesseract-ocr-xyz/);
  });

  it('stops a recogniser that hangs at the page time limit, and keeps the document', async () => {
    // Long enough for pdftoppm on a busy machine; the stand-in would sleep far longer.
    const hanging = standIn('tesseract-hangs', 'exec sleep 120');
    const started = performance.now();
    const doc = await convertPdf({ bytes: pdfOfPages([{ lines: ['Typed.'] }, scan]), fileName: 'x.pdf', ocr: { tesseract: hanging, pageTimeoutMs: 8000 } });
    assert.ok(performance.now() - started < 60_000, 'the time limit stopped it');
    assert.match(doc.warnings[0]!, /^page 2 has no text layer and could not be read by OCR: .*tesseract-hangs took too long \(stopped after 8 s\)/);
  });

  it('refuses invalid settings before touching the file', () => {
    assert.throws(() => resolveOcrOptions({ languages: 'eng; rm -rf /' }), /invalid OCR settings: languages: language codes joined by "\+"/);
    assert.throws(() => resolveOcrOptions({ concurrency: 0 }), /concurrency/);
  });
});

describe('reading tesseract output', () => {
  const hocr = `<?xml version="1.0" encoding="UTF-8"?><html><body>
  <div class='ocr_page' id='page_1' title='image "p.png"; bbox 0 0 2550 3300; ppageno 0'>
   <div class='ocr_carea' id='block_1_1' title="bbox 200 300 2300 420">
    <p class='ocr_par' id='par_1_1' lang='eng' title="bbox 200 300 2300 420">
     <span class='ocr_line' id='line_1_1' title="bbox 200 300 1200 345; baseline 0.001 -9; x_size 46; x_descenders 9; x_ascenders 11">
      <span class='ocrx_word' id='word_1_1' title='bbox 200 302 330 336; x_wconf 96'>Load</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 345 300 520 345; x_wconf 95'>&amp;</span>
      <span class='ocrx_word' id='word_1_3' title='bbox 540 301 760 336; x_wconf 91'>&lt;balancer&gt;</span>
     </span>
    </p>
   </div>
   <div class='ocr_carea' id='block_1_2' title="bbox 200 900 900 1000">
    <p class='ocr_par' id='par_1_2' lang='eng' title="bbox 200 900 900 1000">
     <span class='ocr_line' id='line_1_2' title="bbox 200 900 900 940; baseline 0 -5; x_size 44">
      <span class='ocrx_word' id='word_1_4' title='bbox 200 900 260 935; x_wconf 31'>ee</span>
      <span class='ocrx_word' id='word_1_5' title='bbox 270 900 300 935; x_wconf 12'>|</span>
      <span class='ocrx_word' id='word_1_6' title='bbox 310 900 400 935; x_wconf 40'>oa</span>
      <span class='ocrx_word' id='word_1_7' title='bbox 410 900 500 935; x_wconf 22'>;o</span>
     </span>
    </p>
   </div>
  </div></body></html>`;

  it('takes lines with their baseline and size, and words with their boxes, decoded', () => {
    const lines = parseHocr(hocr);
    assert.equal(lines.length, 2);
    assert.deepEqual(lines[0]!.words.map((w) => w.text), ['Load', '&', '<balancer>']);
    assert.equal(lines[0]!.baseline, 336);
    assert.equal(lines[0]!.size, 46);
    assert.deepEqual(lines[0]!.words[0], { text: 'Load', left: 200, top: 302, right: 330, bottom: 336, confidence: 96 });
  });

  it('places words on their line in points, and drops a picture read as text', () => {
    const scale = 72 / 300;
    const runs = recognisedRuns([{ number: 1, lines: parseHocr(hocr), scaleX: scale, scaleY: scale }], 10)!.get(1)!;
    assert.deepEqual(runs.map((r) => r.text), ['Load', '&', '<balancer>'], 'the low-confidence block is a picture');
    assert.ok(runs.every((r) => r.y === 336 * scale && r.fontSize === 10), 'one baseline, snapped to the body size');
    assert.equal(runs[0]!.x, 200 * scale);
  });
});

describe('scanned copies of corpus pages', () => {
  it('builds image-only PDFs that poppler finds no text in', async () => {
    const file = path.join(sandbox, 'copy.pdf');
    fs.writeFileSync(file, await scannedCopy(TRANSIT, [PAGE], 72));
    const { stdout } = await run('pdftotext', [file, '-']);
    assert.equal(stdout.trim(), '');
  });
});
