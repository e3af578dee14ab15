import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { corpusPath } from '../../support/corpus.js';
import { layoutPdf, type PlacedText } from '../../support/column-pdf.js';
import { chunkDocument } from '../../../src/ingest/chunking/chunker.js';
import { convertPdf } from '../../../src/ingest/convert/pdf.js';
import type { ConvertedDocument } from '../../../src/ingest/convert/types.js';

/**
 * Layout fidelity: reading order across columns and sidebars, tables only where there are rows,
 * captions with their tables, and no margin furniture (footers, addresses in headings, separator
 * bars) in the text. Synthetic pages are set with Helvetica's real widths; the real ones are the
 * Palo Alto and Cisco guides of the shared corpus.
 */

const LEFT = [
  'Palo Alto Networks recommends using the bootstrap files in the public bucket only for evaluating this solution, and a private bucket for production.',
  'The firewall template deploys an application load balancer and two firewalls in an auto scaling group across two availability zones.',
];
const RIGHT = [
  'The application template deploys a network load balancer and two auto scaling groups with a web server in each of them for testing.',
  'Together these templates deploy a load balancer sandwich topology with an internet facing load balancer and an internal one behind the firewalls.',
];
const SIDEBAR = ['Note: Do not mix and match files across versions of the template, since each version expects its own layout of the bucket.'];

async function convert(bytes: Uint8Array, fileName = 'layout.pdf'): Promise<ConvertedDocument> {
  return convertPdf({ bytes, fileName });
}

async function convertCorpus(...parts: string[]): Promise<ConvertedDocument> {
  return convertPdf({ bytes: new Uint8Array(await readFile(corpusPath('pdf', ...parts))), fileName: parts[parts.length - 1]! });
}

function pageText(doc: ConvertedDocument, number: number): string {
  const page = doc.pages.find((p) => p.number === number);
  assert.ok(page, `page ${number} exists`);
  return page.markdown;
}

/** Each paragraph appears whole, and in this order. */
function assertInOrder(markdown: string, paragraphs: readonly string[]): void {
  let from = 0;
  for (const paragraph of paragraphs) {
    const at = markdown.indexOf(paragraph, from);
    assert.ok(at >= 0, `"${paragraph.slice(0, 50)}…" whole and in order in:\n${markdown}`);
    from = at + paragraph.length;
  }
}

describe('reading order across columns', () => {
  it('reads a two-column page column by column, not line by line across, and makes no table of it', async () => {
    const columns: PlacedText[] = [
      { x: 72, top: 100, width: 215, paragraphs: LEFT },
      { x: 320, top: 100, width: 215, paragraphs: RIGHT },
    ];
    const markdown = pageText(await convert(layoutPdf([columns])), 1);
    assert.doesNotMatch(markdown, /\|/, 'no table');
    assertInOrder(markdown, [...LEFT, ...RIGHT]);
  });

  it('reads a sidebar beside the body as a block of its own, before the body', async () => {
    const page: PlacedText[] = [
      { x: 60, top: 120, width: 110, paragraphs: SIDEBAR, size: 9 },
      { x: 200, top: 100, width: 340, paragraphs: [...LEFT, ...RIGHT] },
    ];
    const markdown = pageText(await convert(layoutPdf([page])), 1);
    assert.doesNotMatch(markdown, /\|/, 'no table');
    assertInOrder(markdown, [...SIDEBAR, ...LEFT, ...RIGHT]);
  });

  it('keeps a full-width heading above two columns, and the columns below it in order', async () => {
    const page: PlacedText[] = [
      { x: 72, top: 80, width: 460, paragraphs: ['Launch the Auto Scaling Template'], size: 16 },
      { x: 72, top: 120, width: 215, paragraphs: LEFT },
      { x: 320, top: 120, width: 215, paragraphs: RIGHT },
    ];
    const markdown = pageText(await convert(layoutPdf([page])), 1);
    assert.match(markdown, /^Launch the Auto Scaling Template$|^#+ Launch the Auto Scaling Template$/m);
    assertInOrder(markdown, ['Launch the Auto Scaling Template', ...LEFT, ...RIGHT]);
    assert.doesNotMatch(markdown, /\|/);
  });

  it('still makes a table of aligned rows, each cell whole', async () => {
    const rows = [
      ['Create a support account.', 'With the template you can opt for the licenses you want: a bring your own license, or a bundle paid by the hour.'],
      ['Review and accept the agreement.', 'In the marketplace, search for the bundle you plan to use and accept its terms before you launch it.'],
      ['Decide whether you use the public bucket.', 'The public buckets hold all the templates and the code that you need, in every region that is supported.'],
    ];
    const page: PlacedText[] = rows.flatMap(([label, detail], i) => [
      { x: 72, top: 100 + i * 40, width: 120, paragraphs: [label!] },
      { x: 220, top: 100 + i * 40, width: 320, paragraphs: [detail!] },
    ]);
    const markdown = pageText(await convert(layoutPdf([page])), 1);
    for (const [label, detail] of rows) assert.match(markdown, new RegExp(`^\\| ${label!.replace(/[.:]/g, '\\$&')} \\| ${detail!.replace(/[.:]/g, '\\$&')} \\|$`, 'm'));
  });
});

describe('the Palo Alto template guide (v2.0, rev 2018-02)', () => {
  it('reads the narrow note beside the checklist as one sentence, with no one-word rows', async () => {
    const doc = await convertCorpus('paloalto', 'vm-series-aws-autoscaling-template', '2.0', 'Auto_Scaling_Template_for_AWS_v2.0_rev2018-02.pdf');
    const page8 = pageText(doc, 8);
    assert.match(page8, /Palo Alto Networks recommends using the bootstrap files in the public/);
    assert.doesNotMatch(page8, /^\| (Palo|Alto|Networks|recommends|using|the|bootstrap) \|/m, 'no word on a row of its own');
    // The paragraph beside the note is read whole, not cut into the note's rows.
    assert.match(page8, /You can place all the required files for both the firewall template and the application template in one S3 bucket or place them in separate S3 buckets\./);
    // The checklist itself stays a table, one row per item.
    assert.match(pageText(doc, 7), /^\| Verify the requirements for deploying the VM-Series Auto Scaling template\. \| Version 2\.0 of the auto scaling template/m);
  });
});

describe('steps in a Cisco guide', () => {
  it('gives each "Step N" its own row', async () => {
    const doc = await convertCorpus('cisco', 'ftdv-autoscale-azure', '7.3', 'ftdv-azure-autoscale-v73.pdf');
    const all = doc.pages.map((p) => p.markdown).join('\n');
    assert.doesNotMatch(all, /^\| Step \d+ Step \d+/m, 'no row holds two steps');
    assert.match(all, /^\| Step 4 \| From the Add role assignment drop-down, choose Contributor\. \|$/m);
    assert.match(all, /^\| Step 5 \| From the Assign access to drop-down, choose Function App\. \|$/m);
  });
});

describe('captions stay with their tables', () => {
  it('puts each "Table N:" caption of the Cisco ASAv AWS guide in the chunk that holds its table', async () => {
    const doc = await convertCorpus('cisco', 'asav-autoscale-aws', '9.15', 'asav_aws_autoscale_v915.pdf');
    const chunks = chunkDocument({ product: 'asav', version: '9.15', collection: 'c', document: 'd' }, doc.pages);
    let checked = 0;
    for (const page of doc.pages) {
      for (const match of page.markdown.matchAll(/^(Table \d+: [^\n]+)\n\n(\|[^\n]+\|)$/gm)) {
        const [, caption, header] = match;
        const holder = chunks.find((chunk) => chunk.page <= page.number && chunk.pageEnd >= page.number && chunk.text.includes(`${caption}\n\n${header}`));
        assert.ok(holder, `"${caption}" is in the chunk with its table`);
        checked++;
      }
    }
    assert.ok(checked >= 2, `${checked} captioned tables`);
  });
});

describe('margin furniture', () => {
  it('drops a one-page document\'s footer and copyright line', async () => {
    const doc = await convertCorpus('paloalto', 'vm-series-azure-autoscaling', '1.1', 'azure-auto-scale-template-1.1-release-notes.pdf');
    const markdown = pageText(doc, 1);
    assert.doesNotMatch(markdown, /© Palo Alto Networks|AZURE AUTO SCALE TEMPLATE 1\.1 \|/);
    assert.match(markdown, /Azure Auto Scale Template 1\.1 introduces two new options/);
  });

  it('drops the cover page\'s confidentiality footer', async () => {
    const doc = await convertCorpus('paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'AWS_Transit_VPC_deployment_guide.pdf');
    assert.doesNotMatch(pageText(doc, 1), /Proprietary and Confidential|© 2018/);
  });

  it('keeps web addresses out of headings and heading paths', async () => {
    const doc = await convertCorpus('paloalto', 'aws-transit-vpc', 'rev2019-05-31', 'Default_Route_to_SubscriberVPC.pdf');
    assert.match(pageText(doc, 1), /^# How to add the default route to Transit VPC Subscribers$/m);
    assert.match(pageText(doc, 1), /^http:\/\/www\.paloaltonetworks\.com$/m, 'the address is kept, as text');
    const azure = await convertCorpus('paloalto', 'vm-series-azure-autoscaling', '1.0', 'Auto_Scaling_VM-Series_Firewalls_on_Azure_rev2019-08.pdf');
    for (const converted of [doc, azure]) {
      const chunks = chunkDocument({ product: 'p', version: '1', collection: 'c', document: 'd' }, converted.pages);
      for (const chunk of chunks) {
        for (const heading of chunk.headingPath) assert.doesNotMatch(heading, /https?:\/\/|www\.|\.com\b/, `heading path of chunk ${chunk.ordinal}`);
      }
    }
  });

  it('removes separator bars after step labels, and keeps the bars of a command', async () => {
    const doc = await convertCorpus('paloalto', 'vm-series-azure-autoscaling', '1.0', 'Auto_Scaling_VM-Series_Firewalls_on_Azure_rev2019-08.pdf');
    const all = doc.pages.map((p) => p.markdown).join('\n');
    assert.match(all, /^STEP 8 To onboard an app, complete the following on the Hub Firewall Resource Group\.$/m);
    assert.doesNotMatch(all, /^STEP \d+ \|/m);
    const notes = await convertCorpus('paloalto', 'vm-series-aws-autoscaling-template', '1.2.1', 'Release_Notes_AWS_CFT_v1.2.1.pdf');
    assert.match(notes.pages.map((p) => p.markdown).join('\n'), /list-functions \| grep FunctionName/);
  });

  it('rejoins a web address broken after a slash', async () => {
    const doc = await convertCorpus('cisco', 'asav-autoscale-azure', '9.15', 'asav_azure_autoscale_v915.pdf');
    assert.match(doc.pages.map((p) => p.markdown).join('\n'), /\(https:\/\/github\.com\/CiscoDevNet\/cisco-asav\)/);
  });
});
