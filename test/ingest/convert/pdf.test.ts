import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { corpusPath } from '../../support/corpus.js';
import { convertPdf } from '../../../src/ingest/convert/pdf.js';
import { ConversionError, type ConvertedDocument } from '../../../src/ingest/convert/types.js';
import type { FontStats } from '../../../src/ingest/convert/pdf/font-stats.js';
import { classifyHeadings, headingLevelsBySize } from '../../../src/ingest/convert/pdf/headings.js';
import { buildVocabulary, isBrokenWord, joinLines } from '../../../src/ingest/convert/pdf/hyphenation.js';
import { escapeLineStart } from '../../../src/ingest/convert/pdf/markdown-text.js';
import type { TextLine, TextRun } from '../../../src/ingest/convert/pdf/model.js';
import { findRunningLines, isPageNumber, runningKey } from '../../../src/ingest/convert/pdf/running-lines.js';
import { findTables } from '../../../src/ingest/convert/pdf/tables.js';
import { groupIntoLines } from '../../../src/ingest/convert/pdf/text-layout.js';
import { usableMetadataTitle } from '../../../src/ingest/convert/pdf/title.js';

// ---------------------------------------------------------------------------------------------
// Synthetic inputs

function run(text: string, x: number, y: number, fontSize = 10, fontName = 'body'): TextRun {
  // Roughly half an em per character, like a proportional font.
  return { text, x, y, width: text.length * fontSize * 0.5, fontSize, fontName, fontFamily: 'serif', monospace: false };
}

function line(runs: TextRun[]): TextLine {
  const [built] = groupIntoLines(runs);
  return built!;
}

function fontStats(charsPerSize: Record<number, number>, pagesPerSize: Record<number, number[]> = {}, bodySize = 10): FontStats {
  const sizes = Object.keys(charsPerSize).map(Number);
  return {
    bodySize,
    bodyFont: 'body',
    bodyFontFamily: 'serif',
    charsPerSize: new Map(sizes.map((size) => [size, charsPerSize[size]!])),
    pagesPerSize: new Map(sizes.map((size) => [size, new Set(pagesPerSize[size] ?? [2, 3])])),
    lineSpacing: (size) => size * 1.2,
  };
}

/** A small uncompressed PDF; each page gets a content stream (Helvetica as /F1). */
function buildPdf(pageStreams: string[], options: { encrypt?: { o: string; u: string; id: string } } = {}): Uint8Array {
  const objects: string[] = [];
  const pageIds = pageStreams.map((_, i) => 4 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  pageStreams.forEach((stream, i) => {
    objects[pageIds[i]!] = `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`;
    objects[pageIds[i]! + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let encryptRef = '';
  if (options.encrypt) {
    const id = objects.length;
    objects[id] = `<< /Filter /Standard /V 1 /R 2 /O <${options.encrypt.o}> /U <${options.encrypt.u}> /P -4 >>`;
    encryptRef = ` /Encrypt ${id} 0 R /ID [<${options.encrypt.id}> <${options.encrypt.id}>]`;
  }
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encryptRef} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}

/** Lines of 12-point text, `spacing` points apart (a paragraph at 14, separate paragraphs at 30). */
function textStream(lines: string[], spacing = 30): string {
  const shown = lines.map((text, i) => `1 0 0 1 72 ${700 - i * spacing} Tm (${text.replace(/[()\\]/g, '\\$&')}) Tj`);
  return `BT /F1 12 Tf ${shown.join(' ')} ET`;
}

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

/** /O, /U and /ID for the standard security handler, revision 2, with a user password. */
function rc4Encryption(userPassword: string, ownerPassword: string): { o: string; u: string; id: string } {
  const padding = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');
  const pad = (password: string) => Buffer.concat([Buffer.from(password, 'latin1'), padding]).subarray(0, 32);
  const md5 = (...parts: Uint8Array[]) => createHash('md5').update(Buffer.concat(parts)).digest();
  const o = rc4(md5(pad(ownerPassword)).subarray(0, 5), pad(userPassword));
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-4);
  const key = md5(pad(userPassword), o, permissions, id).subarray(0, 5);
  const u = rc4(key, padding);
  return { o: Buffer.from(o).toString('hex'), u: Buffer.from(u).toString('hex'), id: id.toString('hex') };
}

async function convertFile(...parts: string[]): Promise<ConvertedDocument> {
  const path = corpusPath('pdf', ...parts);
  return convertPdf({ bytes: new Uint8Array(await readFile(path)), fileName: parts[parts.length - 1]! });
}

function page(doc: ConvertedDocument, number: number): string {
  const found = doc.pages.find((p) => p.number === number);
  assert.ok(found, `page ${number} exists`);
  return found.markdown;
}

/** Lines of Markdown that are plain text (not headings, not inside fences). */
function bodyLines(markdown: string): string[] {
  let inFence = false;
  return markdown.split('\n').filter((text) => {
    if (text.startsWith('```')) inFence = !inFence;
    return !inFence && !text.startsWith('#') && !text.startsWith('```');
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Pure helpers

describe('groupIntoLines', () => {
  it('groups runs by baseline with tolerance, top to bottom and left to right', () => {
    const lines = groupIntoLines([
      run('second', 10, 120),
      run('world', 45, 100.6),
      run('Hello', 10, 100),
      run('Note', 200, 99.2, 9),
    ]);
    assert.deepEqual(
      lines.map((l) => l.text),
      ['Hello world Note', 'second'],
    );
  });

  it('puts a space only where the runs leave a gap', () => {
    const [joined] = groupIntoLines([run('configu', 10, 100), run('ration', 10 + 7 * 5, 100)]);
    assert.equal(joined!.text, 'configuration');
    const [spaced] = groupIntoLines([run('two', 10, 100), run('words', 10 + 3 * 5 + 3, 100)]);
    assert.equal(spaced!.text, 'two words');
  });

  it('keeps superscripts on their line', () => {
    const lines = groupIntoLines([run('3', 10, 100, 11), run('rd', 15.5, 95, 7), run('party gadgets', 24, 100, 11)]);
    assert.deepEqual(
      lines.map((l) => l.text),
      ['3rd party gadgets'],
    );
  });

  it('splits a line into cells at wide gaps', () => {
    const [row] = groupIntoLines([run('Port', 133, 100), run('Usage', 219, 100), run('Subnet', 392, 100)]);
    assert.deepEqual(
      row!.cells.map((c) => c.text),
      ['Port', 'Usage', 'Subnet'],
    );
  });
});

describe('running headers and footers', () => {
  const footer = (n: number) => `Cisco Finesse Web Services Developer Guide, Release 12.5(1) ${n}`;
  const pages = [41, 42, 43, 44, 45].map((n) => ({
    height: 792,
    lines: [
      { text: 'Chapter title', y: 30 },
      { text: `Body text that only appears on page ${n}`, y: 300 },
      { text: footer(n), y: 770 },
      { text: String(n), y: 780 },
    ],
  }));

  it('normalises digits so numbered footers compare equal', () => {
    assert.equal(runningKey(footer(43)), runningKey(footer(44)));
    assert.equal(runningKey('iv TABLE OF CONTENTS'), runningKey('TABLE OF CONTENTS iii'));
  });

  it('flags repeated margin lines and bare page numbers, not body text', () => {
    const flags = findRunningLines(pages);
    for (const pageFlags of flags) assert.deepEqual(pageFlags, [true, false, true, true]);
  });

  it('keeps a margin line that does not repeat often enough', () => {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const flags = findRunningLines(pages.map((p, i) => ({ ...p, lines: [{ text: `Figure about ${words[i]}`, y: 760 }] })));
    assert.ok(flags.every((pageFlags) => pageFlags.every((flag) => !flag)));
  });

  it('recognises page numbers', () => {
    assert.ok(isPageNumber('43'));
    assert.ok(isPageNumber('Page 7'));
    assert.ok(isPageNumber('7 of 20'));
    assert.ok(isPageNumber('xiv'));
    assert.ok(isPageNumber('A-3', 'A-3'));
    assert.ok(!isPageNumber('Release 12.5'));
    assert.ok(!isPageNumber('Overview'));
  });
});

describe('heading levels', () => {
  it('maps the three largest sizes above the body size to levels 1-3', () => {
    const levels = headingLevelsBySize(fontStats({ 10: 20000, 21: 200, 17: 500, 13.5: 150, 12.5: 100, 8: 4000 }), 20, new Map());
    assert.deepEqual([...levels], [
      [21, 1],
      [17, 2],
      [13.5, 3],
    ]);
  });

  it('gives cover-page sizes level 1 without using up a level', () => {
    const levels = headingLevelsBySize(fontStats({ 12: 10000, 36: 30, 24: 260, 18: 120 }, { 36: [1] }, 12), 20, new Map());
    assert.equal(levels.get(36), 1);
    assert.equal(levels.get(24), 1);
    assert.equal(levels.get(18), 2);
  });

  it('ignores a slightly larger size used for much text (a second body size)', () => {
    const levels = headingLevelsBySize(fontStats({ 11: 10000, 12: 5600, 14: 60 }, {}, 11), 20, new Map());
    assert.equal(levels.has(12), false);
    assert.equal(levels.get(14), 1);
  });

  it('follows the outline: a matched title takes its depth, and its size the same level elsewhere', () => {
    const fonts = fontStats({ 10: 20000, 21: 200, 17: 500 });
    const blocks = [
      { pageNumber: 2, lines: [line([run('Prerequisites', 50, 100, 21)])] },
      { pageNumber: 2, lines: [line([run('Subnets', 50, 200, 17)])] },
      { pageNumber: 3, lines: [line([run('Security Groups', 50, 100, 17)])] },
      { pageNumber: 3, lines: [line([run('Subnets are created as needed for the application.', 144, 140)])] },
    ];
    const outline = [
      { title: 'Deploy the Solution', depth: 0, pageNumber: 1 },
      { title: 'Prerequisites', depth: 1, pageNumber: 2 },
      { title: 'Subnets', depth: 2, pageNumber: 2 },
    ];
    assert.deepEqual(classifyHeadings(blocks, fonts, outline, 20), [2, 3, 3, undefined]);
  });
});

describe('hyphenation', () => {
  it('rejoins a word broken across lines', () => {
    assert.equal(joinLines('the configu-', 'ration file'), 'the configuration file');
  });

  it('keeps hyphens that belong to the text', () => {
    assert.equal(joinLines('Auto Scaling Template for VM-', 'Series Firewall'), 'Auto Scaling Template for VM-Series Firewall');
    assert.equal(joinLines('eu-west-1 (Ireland), eu-', 'west-2 (London)'), 'eu-west-1 (Ireland), eu-west-2 (London)');
    assert.equal(joinLines('https://example.com/global-', 'infrastructure/list'), 'https://example.com/global-infrastructure/list');
    assert.equal(joinLines('options --', 'verbose'), 'options -- verbose');
  });

  it("lets the document's vocabulary tell compounds from broken words", () => {
    const vocabulary = buildVocabulary(['an object group', 'the configuration', 'use list-functions']);
    assert.equal(isBrokenWord('deny ip object-', 'group', vocabulary), false);
    assert.equal(isBrokenWord('aws lambda list-', 'functions', vocabulary), false);
    assert.equal(isBrokenWord('the configu-', 'ration', vocabulary), true);
    assert.equal(joinLines('deny ip object-', 'group aws-hosts', vocabulary), 'deny ip object-group aws-hosts');
  });
});

describe('markdown escaping', () => {
  it('escapes line starts that Markdown would read as structure', () => {
    assert.equal(escapeLineStart('# not a heading'), '\\# not a heading');
    assert.equal(escapeLineStart('> not a quote'), '\\> not a quote');
    assert.equal(escapeLineStart('- not a list'), '\\- not a list');
    assert.equal(escapeLineStart('+ not a list'), '\\+ not a list');
    assert.equal(escapeLineStart('1. AWS account'), '1\\. AWS account');
    assert.equal(escapeLineStart('---'), '\\---');
    assert.equal(escapeLineStart('#!/bin/bash'), '#!/bin/bash');
    assert.equal(escapeLineStart('Plain text.'), 'Plain text.');
  });

  it('never lets body text look like a page marker', () => {
    assert.equal(escapeLineStart('<!-- page 3 -->'), '&lt;!-- page 3 -->');
  });
});

describe('titles from metadata', () => {
  it('rejects tool boilerplate and file names', () => {
    assert.equal(usableMetadataTitle('Microsoft Word - Default_Route_to_SubscriberVPC.docx', 'Default_Route_to_SubscriberVPC.pdf'), undefined);
    assert.equal(usableMetadataTitle('AWS_Transit_VPC_deployment_guide', 'AWS_Transit_VPC_deployment_guide.pdf'), undefined);
    assert.equal(usableMetadataTitle('Cisco_NGFWv_AWS_GuardDuty_Guide', 'other.pdf'), undefined);
    assert.equal(usableMetadataTitle('   ', 'x.pdf'), undefined);
    assert.equal(usableMetadataTitle(undefined, 'x.pdf'), undefined);
  });

  it('keeps a real title, with its whitespace tidied', () => {
    assert.equal(usableMetadataTitle('Deploy the ASA\n\t\t\tVirtual Auto Scale Solution on AWS', 'a.pdf'), 'Deploy the ASA Virtual Auto Scale Solution on AWS');
  });
});

describe('findTables', () => {
  const context = { lineSpacing: (size: number) => size * 1.2, joinLines: (a: string, b: string) => joinLines(a, b) };

  it('recovers rows with wrapped cells from aligned columns', () => {
    const lines = [
      line([run('Parameter', 133, 100), run('Type', 250, 100), run('Description', 329, 100)]),
      line([run('VPC Id', 133, 121), run('String', 250, 121), run('The VPC to deploy', 329, 121)]),
      line([run('into.', 329, 133)]),
      line([run('Pod Number', 133, 154), run('Integer', 250, 154), run('The pod number.', 329, 154)]),
    ];
    const { tables } = findTables(lines, context);
    assert.equal(tables.length, 1);
    assert.deepEqual(tables[0]!.rows, [
      ['Parameter', 'Type', 'Description'],
      ['VPC Id', 'String', 'The VPC to deploy into.'],
      ['Pod Number', 'Integer', 'The pod number.'],
    ]);
  });

  it('leaves prose and bulleted lists alone', () => {
    const prose = [
      line([run('A sentence that runs across the whole width of the text block here.', 72, 100)]),
      line([run('Another sentence, also running across the whole width of the block.', 72, 112)]),
    ];
    assert.equal(findTables(prose, context).tables.length, 0);
    const bullets = [line([run('-', 126, 100), run('First item', 146.5, 100)]), line([run('-', 126, 125), run('Second item', 146.5, 125)])];
    assert.equal(findTables(bullets, context).tables.length, 0);
  });
});

// ---------------------------------------------------------------------------------------------
// Real documents

describe('convertPdf on the Cisco FTDv 6.6.0 guide', () => {
  let doc: ConvertedDocument;
  before(async () => {
    doc = await convertFile('cisco', 'ftdv-autoscale-aws', '6.6.0', 'deploy-ftdv-auto-scale-for-aws.pdf');
  });

  it('has one page per physical page, with the printed labels', () => {
    assert.equal(doc.pages.length, 20);
    assert.deepEqual(
      doc.pages.map((p) => p.number),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.equal(doc.pages[4]!.label, '5');
  });

  it('takes the title from the metadata', () => {
    assert.equal(doc.title, 'Deploy the Firepower Threat Defense Virtual Auto Scale for AWS');
  });

  it('keeps text on its page, in reading order', () => {
    assert.match(page(doc, 5), /You should create the VPC as required for your application requirements\. It is expected that the VPC have an Internet gateway/);
    assert.doesNotMatch(page(doc, 4), /You should create the VPC as required/);
  });

  it('recovers headings at their outline depth', () => {
    assert.match(page(doc, 1), /^# Deploy the Firepower Threat Defense Virtual Auto Scale for AWS$/m);
    assert.match(page(doc, 5), /^## Auto Scale Solution Prerequisites$/m);
    assert.match(page(doc, 5), /^### VPC$/m);
    assert.match(page(doc, 8), /^#### Input Parameters$/m);
  });

  it('removes the running header, footer, page numbers and draft stamp from every page', () => {
    for (const p of doc.pages) {
      const lines = bodyLines(p.markdown);
      assert.ok(!lines.includes('Deploy the Firepower Threat Defense Virtual Auto Scale for AWS'), `footer on page ${p.number}`);
      assert.ok(!lines.includes(String(p.number)), `page number on page ${p.number}`);
      assert.doesNotMatch(p.markdown, /REVIEW DRAFT/);
    }
    // The chapter name repeated in the header of page 5 is not left above the chapter heading.
    assert.match(page(doc, 5), /^## Auto Scale Solution Prerequisites/);
  });

  it('keeps tables as pipe tables, wrapped cells joined', () => {
    assert.match(page(doc, 6), /^\| Port \| Usage \| Subnet \|$/m);
    assert.match(page(doc, 6), /^\| 8305 \| FMC to FTDv Secured tunnel connection \| Management subnets \|$/m);
    assert.match(page(doc, 8), /^\| Parameter \| Allowed Values\/Type \| Description \|$/m);
    assert.match(page(doc, 8), /^\| VPC Id \| String \| This should be configured as per AWS requirements\. Example: vpc-81f042fb \|$/m);
  });

  it('keeps code listings as fenced code', () => {
    assert.match(page(doc, 7), /```\n#!\/bin\/bash\nmkdir -p layer\n[^`]*pip3 install paramiko==2\.7\.1\n[^`]*```/);
  });

  it('has no warnings', () => {
    assert.deepEqual(doc.warnings, []);
  });
});

describe('convertPdf on other real documents', () => {
  it('Finesse guide: title from the first heading, superscripts, an image-only page', async () => {
    const doc = await convertFile('cisco', 'finesse-learning-sample-gadget', '10.5.1', 'LearningSampleGadget.pdf');
    assert.equal(doc.pages.length, 25);
    assert.equal(doc.title, 'Finesse Developer Training with the LearningSampleGadget');
    assert.ok(doc.pages.every((p) => p.label === undefined), 'no page labels in this PDF');
    assert.match(page(doc, 1), /^# Step 1: Download the Sample Gadget$/m);
    assert.match(page(doc, 2), /3rd party gadgets \(new gadgets that you develop\)/);
    assert.deepEqual(doc.warnings, ['page 25 has no text layer (scanned?)']);
    assert.equal(page(doc, 25), '');
  });

  it('Palo Alto template guide: roman page labels, copyright footer removed', async () => {
    const doc = await convertFile('paloalto', 'vm-series-aws-autoscaling-template', '2.0', 'Auto_Scaling_Template_for_AWS_v2.0_rev2018-02.pdf');
    assert.equal(doc.pages.length, 23);
    assert.deepEqual(
      doc.pages.slice(0, 4).map((p) => p.label),
      ['1', '2', 'iii', '4'],
    );
    assert.equal(doc.title, 'Auto Scale Template for VM-Series Firewall on AWS (Version 2.0)');
    for (const p of doc.pages) assert.doesNotMatch(p.markdown, /© Palo Alto Networks, Inc\.$|AUTO SCALE TEMPLATE FOR VM-SERIES/m);
    assert.match(page(doc, 7), /^\| Verify the requirements for deploying the VM-Series Auto Scaling template\. \| Version 2\.0 of the auto scaling template/m);
  });

  it('Transit VPC guide: file-name metadata title replaced, "v1.0 Page N" footer removed, compounds kept', async () => {
    const doc = await convertFile('paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'AWS_Transit_VPC_deployment_guide.pdf');
    assert.equal(doc.pages.length, 20);
    assert.equal(doc.title, 'AWS Transit VPC Deployment Guide');
    for (const p of doc.pages) assert.doesNotMatch(p.markdown, /v1\.0|Page \d+$/m);
    assert.match(page(doc, 4), /^# 1\. About$/m);
    assert.match(page(doc, 5), /eu-west-1 \(Ireland\), eu-west-2 \(London\)/);
  });

  it('Azure template guide: a line-end hyphen between two words stays', async () => {
    const doc = await convertFile('paloalto', 'vm-series-azure-autoscaling', '1.0', 'Auto_Scaling_VM-Series_Firewalls_on_Azure_rev2019-08.pdf');
    assert.match(page(doc, 8), /enable the auto-programming of routes/);
  });

  it('Word-made PDF: "Microsoft Word - x.docx" is not the title', async () => {
    const doc = await convertFile('paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'Default_Route_to_SubscriberVPC.pdf');
    assert.equal(doc.pages.length, 5);
    assert.equal(doc.title, 'Transit VPC default route propagation using BGP');
    for (const p of doc.pages) assert.doesNotMatch(p.markdown, /Proprietary and Confidential/);
  });

  it('GuardDuty guide: a table with vertically centred row labels', async () => {
    const doc = await convertFile('cisco', 'asav-guardduty', 'latest', 'Cisco_ASAv_AWS_GuardDuty_Integration_User_Configuration_Guide.pdf');
    assert.equal(doc.pages.length, 16);
    assert.match(page(doc, 4), /^\| High \| 8\.9 to 7\.0 \| A High severity level indicates that the resource in question .* actively being used for unauthorized purposes\. \|$/m);
  });

  it('converts a 58-page guide well under a second per 10 pages', async () => {
    const bytes = new Uint8Array(await readFile(corpusPath('pdf', 'cisco', 'ftdv-autoscale-aws', 'latest-2025-06', 'deploy-ftdv-auto-scale-for-aws.pdf')));
    const started = performance.now();
    const doc = await convertPdf({ bytes, fileName: 'deploy-ftdv-auto-scale-for-aws.pdf' });
    const elapsed = performance.now() - started;
    assert.equal(doc.pages.length, 58);
    assert.ok(elapsed < 2900, `took ${elapsed.toFixed(0)} ms`);
    assert.equal(bytes.byteLength, 2364765, 'the caller keeps its bytes');
  });
});

// ---------------------------------------------------------------------------------------------
// Synthetic documents and errors

describe('convertPdf on synthetic documents', () => {
  it('converts a minimal PDF and escapes text that would look like structure', async () => {
    const bytes = buildPdf([textStream(['# not a heading', '<!-- page 9 -->', 'Plain text here'])]);
    const doc = await convertPdf({ bytes, fileName: 'minimal.pdf' });
    assert.equal(doc.title, 'minimal');
    assert.equal(doc.pages.length, 1);
    const markdown = page(doc, 1);
    assert.match(markdown, /^\\# not a heading/m);
    assert.match(markdown, /^&lt;!-- page 9 -->/m);
    assert.doesNotMatch(markdown, /^<!--/m);
  });

  it('joins the lines of a paragraph, rejoining a hyphenated word', async () => {
    const bytes = buildPdf([textStream(['Edit the configu-', 'ration file, then restart the', 'service.'], 14)]);
    const doc = await convertPdf({ bytes, fileName: 'hyphen.pdf' });
    assert.equal(page(doc, 1), 'Edit the configuration file, then restart the service.');
  });

  it('warns about a page without text', async () => {
    const doc = await convertPdf({ bytes: buildPdf([textStream(['Some text']), '']), fileName: 'mixed.pdf' });
    assert.deepEqual(doc.warnings, ['page 2 has no text layer (scanned?)']);
    assert.equal(page(doc, 2), '');
  });

  it('refuses a PDF without any text', async () => {
    const error = await rejection(convertPdf({ bytes: buildPdf(['', '']), fileName: 'scan.pdf' }));
    assert.ok(error instanceof ConversionError);
    assert.equal(error.fileName, 'scan.pdf');
    assert.equal(error.problem, 'no text layer on any of its 2 pages (a scanned PDF?)');
    assert.match(error.hint, /^Run OCR on it first/); // the hint names the OCR tool when one is installed
  });

  it('reports a password-protected PDF', async () => {
    const bytes = buildPdf([textStream(['Secret'])], { encrypt: rc4Encryption('user-secret', 'owner-secret') });
    const error = await rejection(convertPdf({ bytes, fileName: 'locked.pdf' }));
    assert.ok(error instanceof ConversionError, String(error));
    assert.equal(error.problem, 'the PDF is password-protected');
    assert.match(error.hint, /password/);
  });

  it('reports junk bytes as not a readable PDF', async () => {
    const error = await rejection(convertPdf({ bytes: new TextEncoder().encode('this is not a PDF at all'), fileName: 'x.pdf' }));
    assert.ok(error instanceof ConversionError);
    assert.match(error.problem, /^not a readable PDF \(.+\)$/);
    assert.equal(error.hint, 'Check that the file is a complete PDF; re-download or re-export it.');
    assert.match(error.message, /^x\.pdf: not a readable PDF/);
  });

  it('reports an empty file as not a readable PDF', async () => {
    const error = await rejection(convertPdf({ bytes: new Uint8Array(0), fileName: 'empty.pdf' }));
    assert.ok(error instanceof ConversionError);
  });

  it('handles truncated PDFs with a ConversionError or a converted prefix, never another error', async () => {
    const full = await readFile(corpusPath('pdf', 'paloalto', 'vm-series-aws-autoscaling-template', '1.0', 'Release_Notes_AWS_CFT_v1.pdf'));
    for (const share of [0.3, 0.6, 0.95]) {
      const bytes = new Uint8Array(full.subarray(0, Math.floor(full.length * share)));
      try {
        const doc = await convertPdf({ bytes, fileName: 'truncated.pdf' });
        assert.ok(doc.pages.length > 0);
      } catch (error) {
        assert.ok(error instanceof ConversionError, `share ${share}: ${String(error)}`);
        assert.match(error.problem, /^not a readable PDF/);
      }
    }
  });
});
