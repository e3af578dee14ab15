/**
 * PDF fidelity: for every page of the corpus PDFs, how much of poppler's reading-order text
 * (`pdftotext -f N -l N file -`, running headers and footers left out) McDewey's page keeps, in
 * order (longest common subsequence of words / poppler's word count); how many pipe tables hold
 * one word per row; and how many words OCR recovers from scanned copies of corpus pages.
 *
 *   node --import tsx bench/fidelity.ts [--skip-ocr]
 *
 * Writes bench/results/fidelity.json and prints a Markdown summary.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ocrFidelity, type OcrFidelity, type OcrSample } from './lib/fidelity/ocr-fidelity.js';
import { documentFidelity, type DocumentFidelity } from './lib/fidelity/page-fidelity.js';
import { log } from './lib/run/log.js';
import { table, fixed } from './lib/report/markdown.js';
import { corpus, displayPath } from './lib/run/paths.js';
import { measure } from './lib/report/results.js';
import { median } from './lib/parts/stats.js';

const GOAL_PAGE = 0.9;
const GOAL_MEDIAN = 0.98;
const GOAL_OCR = 0.9;
const WORST = 15;
/** Pages scanned for the OCR measurement: prose, a table, release notes, both vendors. */
const OCR_SAMPLES: [string, number][] = [
  ['cisco/ftdv-autoscale-aws/6.6.0/deploy-ftdv-auto-scale-for-aws.pdf', 5],
  ['cisco/asav-autoscale-aws/9.15/asav_aws_autoscale_v915.pdf', 10],
  ['cisco/asav-guardduty/latest/Cisco_ASAv_AWS_GuardDuty_Integration_User_Configuration_Guide.pdf', 4],
  ['cisco/finesse-learning-sample-gadget/11.0.1/LearningSampleGadget.pdf', 2],
  ['paloalto/aws-transit-vpc/rev2019-05-31/AWS_Transit_VPC_deployment_guide.pdf', 5],
  ['paloalto/panorama-azure-plugin/2.0.0/Azure-plugin-on-Panorama-Version2-0-0.pdf', 7],
  ['paloalto/vm-series-aws-autoscaling-template/1.2.1/Release_Notes_AWS_CFT_v1.2.1.pdf', 3],
  ['paloalto/vm-series-azure-autoscaling/1.0/Auto_Scaling_VM-Series_Firewalls_on_Azure_rev2019-08.pdf', 8],
];

function pdfsUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.pdf'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

interface FidelityResults {
  documents: { file: string; pages: number; scored: number; median: number; min: number; convertMs: number; runningLinesLeftOut: number; pagesWithoutText: number[] }[];
  pages: number;
  scoredPages: number;
  medianPage: number;
  pagesBelow: { '0.80': number; '0.90': number };
  worst: { file: string; page: number; score: number; popplerWords: number; mcdeweyWords: number }[];
  oneWordRowTables: { file: string; page: number; start: string }[];
  scores: { file: string; page: number; score: number }[];
  ocr?: { median: number; min: number; samples: OcrFidelity[] };
}

function summarize(documents: DocumentFidelity[]): FidelityResults {
  const all = documents.flatMap((doc) => doc.pages.map((page) => ({ file: displayPath(doc.file), ...page })));
  const scores = all.map((page) => page.score);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  return {
    documents: documents.map((doc) => ({
      file: displayPath(doc.file),
      pages: doc.pages.length + doc.pagesWithoutText.length,
      scored: doc.pages.length,
      median: round(median(doc.pages.map((p) => p.score))),
      min: round(Math.min(...doc.pages.map((p) => p.score))),
      convertMs: Math.round(doc.convertMs),
      runningLinesLeftOut: doc.runningLinesLeftOut,
      pagesWithoutText: doc.pagesWithoutText,
    })),
    pages: documents.reduce((sum, doc) => sum + doc.pages.length + doc.pagesWithoutText.length, 0),
    scoredPages: all.length,
    medianPage: round(median(scores)),
    pagesBelow: { '0.80': scores.filter((s) => s < 0.8).length, '0.90': scores.filter((s) => s < GOAL_PAGE).length },
    worst: [...all].sort((a, b) => a.score - b.score).slice(0, WORST)
      .map(({ file, page, score, popplerWords, mcdeweyWords }) => ({ file, page, score: round(score), popplerWords, mcdeweyWords })),
    oneWordRowTables: documents.flatMap((doc) => doc.oneWordRowTables.map((t) => ({ file: displayPath(doc.file), ...t }))),
    scores: all.map(({ file, page, score }) => ({ file, page, score: round(score) })),
  };
}

function ocrReport(ocr: NonNullable<FidelityResults['ocr']>, short: (file: string) => string): string[] {
  return [
    '',
    `OCR of scanned copies (300 dpi, image-only PDFs): median ${fixed(ocr.median, 3)} of poppler's words recovered in order, min ${fixed(ocr.min, 3)} (goal ≥ ${GOAL_OCR}).`,
    '',
    table(['document', 'page', 'poppler words', 'recognised words', 'recovered', 'marked ocr', 'seconds'],
      ocr.samples.map((s) => [short(s.file), s.page, s.popplerWords, s.recognisedWords, fixed(s.recovered, 3), s.markedOcr ? 'yes' : 'no', fixed(s.seconds, 1)])),
  ];
}

function report(results: FidelityResults): string {
  const short = (file: string) => file.replace(/^\.\.\/shared\/corpus\/pdf\//, '');
  return [
    `## PDF fidelity: ${results.scoredPages} pages with text of ${results.documents.length} PDFs`,
    '',
    `Median page ${fixed(results.medianPage, 3)} (goal ≥ ${GOAL_MEDIAN}); pages below 0.90: ${results.pagesBelow['0.90']}, below 0.80: ${results.pagesBelow['0.80']}; one-word-per-row tables: ${results.oneWordRowTables.length}.`,
    '',
    table(['document', 'pages', 'median', 'min', 'convert ms'], results.documents.map((d) => [short(d.file), d.pages, fixed(d.median, 3), fixed(d.min, 3), d.convertMs])),
    '',
    `Worst ${WORST} pages:`,
    '',
    table(['document', 'page', 'score', 'poppler words', 'McDewey words'], results.worst.map((w) => [short(w.file), w.page, fixed(w.score, 3), w.popplerWords, w.mcdeweyWords])),
    ...(results.oneWordRowTables.length > 0 ? ['', 'One-word-per-row tables:', '', table(['document', 'page', 'rows'], results.oneWordRowTables.map((t) => [short(t.file), t.page, t.start]))] : []),
    ...(results.ocr ? ocrReport(results.ocr, short) : []),
  ].join('\n');
}

async function measureOcr(samples: OcrSample[]): Promise<NonNullable<FidelityResults['ocr']>> {
  const measured: OcrFidelity[] = [];
  for (const sample of samples) {
    log(`fidelity: OCR of a scanned copy of ${displayPath(sample.file)} page ${sample.page}`);
    const result = await ocrFidelity(sample);
    measured.push({ ...result, file: displayPath(result.file), recovered: Math.round(result.recovered * 1000) / 1000, seconds: Math.round(result.seconds * 10) / 10 });
  }
  const recovered = measured.map((s) => s.recovered);
  return { median: median(recovered), min: Math.min(...recovered), samples: measured };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { 'skip-ocr': { type: 'boolean', default: false } } });
  const files = pdfsUnder(corpus.pdf);
  const command = `node --import tsx bench/fidelity.ts${values['skip-ocr'] ? ' --skip-ocr' : ''}`;
  const result = await measure('fidelity', command, { corpus: displayPath(corpus.pdf), files: files.length }, async () => {
    const documents: DocumentFidelity[] = [];
    for (const file of files) {
      log(`fidelity: ${displayPath(file)}`);
      documents.push(await documentFidelity(file));
    }
    const results = summarize(documents);
    if (!values['skip-ocr']) results.ocr = await measureOcr(OCR_SAMPLES.map(([file, page]) => ({ file: path.join(corpus.pdf, file), page })));
    return results;
  });
  process.stdout.write(`${report(result.results)}\n`);
}

await main();
