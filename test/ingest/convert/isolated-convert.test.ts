import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { IsolatedConverter } from '../../../src/ingest/convert/isolated-convert.js';
import { ConversionError } from '../../../src/ingest/convert/types.js';
import { corpusPath } from '../../support/corpus.js';

const big = corpusPath('pdf', 'cisco', 'ftdv-autoscale-aws', 'latest-2025-06', 'deploy-ftdv-auto-scale-for-aws.pdf');
const small = corpusPath('pdf', 'paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf');
const read = (file: string) => ({ bytes: new Uint8Array(fs.readFileSync(file)), fileName: file });

test('a document over its time limit is stopped, and the next one converts in a fresh worker', async () => {
  const converter = new IsolatedConverter({ timeoutMs: 1, msPerMegabyte: 0, maxMemoryMb: 512 });
  await assert.rejects(converter.convert(read(big)), (e: unknown) => e instanceof ConversionError && /took longer than 0 s and was stopped/.test(e.message));
  const generous = new IsolatedConverter();
  const converted = await generous.convert(read(small));
  assert.equal(converted.format, 'pdf');
  assert.equal(converted.pages.length, 1);
  await generous.stop();
  await converter.stop();
});

test('a document that needs more memory than allowed fails alone', async () => {
  const converter = new IsolatedConverter({ timeoutMs: 120_000, msPerMegabyte: 0, maxMemoryMb: 8 });
  await assert.rejects(converter.convert(read(big)), (e: unknown) => e instanceof ConversionError && /more than 8 MB of memory|crashed|stopped/.test(e.message));
  await converter.stop();
});

test('conversion errors keep their file name, problem and hint across the thread boundary', async () => {
  const converter = new IsolatedConverter();
  await assert.rejects(
    converter.convert({ bytes: new TextEncoder().encode('not a pdf at all'), fileName: 'junk.pdf' }),
    (e: unknown) => e instanceof ConversionError && e.fileName === 'junk.pdf' && /not a readable PDF/.test(e.message),
  );
  const ok = await converter.convert(read(small));
  assert.equal(ok.pages.length, 1);
  await converter.stop();
});

/** Runs `body` with a folder of stand-in programs first on PATH (workers started meanwhile inherit it). */
async function withPrograms(programs: Record<string, string>, body: (dir: string) => Promise<void>): Promise<void> {
  const os = await import('node:os');
  const path = await import('node:path');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-programs-'));
  for (const [name, script] of Object.entries(programs)) fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  const savedPath = process.env['PATH'];
  process.env['PATH'] = `${dir}${path.delimiter}${savedPath ?? ''}`;
  try {
    await body(dir);
  } finally {
    process.env['PATH'] = savedPath;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function scannedPage(): Promise<Uint8Array> {
  const { pdfOfPages, renderPageImage } = await import('../../support/scanned-pdf.js');
  return pdfOfPages([await renderPageImage(corpusPath('pdf', 'paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'AWS_Transit_VPC_deployment_guide.pdf'), 5)]);
}

test('OCR extends the time limit by what it may take', async () => {
  const scan = await scannedPage();
  // tesseract, slowed down past the base limit.
  await withPrograms({ tesseract: 'sleep 6\nexec /usr/bin/tesseract "$@"' }, async () => {
    const converter = new IsolatedConverter({ timeoutMs: 4000, msPerMegabyte: 0, maxMemoryMb: 1024 });
    try {
      const recognised = await converter.convert({ bytes: scan, fileName: 'scan.pdf' });
      assert.equal(recognised.pages[0]!.ocr, true);
      assert.match(recognised.pages[0]!.markdown, /Support Policy/);
    } finally {
      await converter.stop();
    }
  });
});

test('stopping a conversion stops the helper processes it started', async () => {
  const scan = await scannedPage();
  const path = await import('node:path');
  // A tesseract that hangs, after writing down its process id.
  await withPrograms({ tesseract: 'echo $$ > "$(dirname "$0")/pid"\nexec sleep 300' }, async (dir) => {
    const pidFile = path.join(dir, 'pid');
    const converter = new IsolatedConverter();
    try {
      const converting = converter.convert({ bytes: scan, fileName: 'scan.pdf' });
      const rejected = assert.rejects(converting, (e: unknown) => e instanceof ConversionError && /stopped unexpectedly/.test(e.message));
      const deadline = Date.now() + 60_000;
      while (!fs.existsSync(pidFile) || fs.readFileSync(pidFile, 'utf8').trim() === '') {
        assert.ok(Date.now() < deadline, 'the stand-in tesseract started');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      await converter.stop();
      await rejected;
      await new Promise((resolve) => setTimeout(resolve, 200));
      // Gone, or a zombie: killed, but its parent thread, terminated, is not there to reap it (Linux /proc).
      const state = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : 'gone';
      assert.ok(state === 'gone' || state === 'Z', `the helper process was stopped (state ${state})`);
    } finally {
      await converter.stop();
    }
  });
});
