/** Documents to write through a `RecordStore` in tests: real chunking and fields, small made-up vectors. */
import { createHash } from 'node:crypto';
import { prepareChunks } from '../../src/ingest/indexer.js';
import { serializeDocumentFile } from '../../src/library/document-file.js';
import { sourcePathOf } from '../../src/library/ids.js';
import type { DocumentMeta, Page } from '../../src/library/model.js';
import type { DocumentRecord } from '../../src/store/record-store.js';

export const DIMENSIONS = 8;
export const FAKE_EMBEDDER = { name: 'fake-8', dimensions: DIMENSIONS, spec: 'fake' };

/** A deterministic unit vector from text, so equal text gets equal vectors everywhere. */
export function fakeVector(text: string): Float32Array {
  const digest = createHash('sha256').update(text).digest();
  const v = new Float32Array(DIMENSIONS);
  for (let i = 0; i < DIMENSIONS; i++) v[i] = digest[i]! - 128;
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

export interface RecordSpec {
  product?: string;
  vendor?: string;
  version?: string;
  document: string;
  /** One paragraph per page. */
  texts?: string[];
  withVectors?: boolean;
  original?: string;
}

export async function documentRecord(spec: RecordSpec): Promise<DocumentRecord> {
  const product = spec.product ?? 'finesse';
  const vendor = spec.vendor ?? 'cisco';
  const version = spec.version ?? '12.5';
  const key = { product, version, collection: 'guides', document: spec.document };
  const texts = spec.texts ?? [`The agent state ${spec.document} changes to NOT_READY when the phone rings.`, `Reason codes for ${spec.document} are listed here.`];
  const pages: Page[] = texts.map((text, i) => ({ number: i + 1, markdown: `# Section ${i + 1}\n\n${text}`, ...(i === 1 ? { label: 'ii' } : {}) }));
  const original = Buffer.from(spec.original ?? `original bytes of ${spec.document} ${texts.join(' ')}`);
  const meta: DocumentMeta = {
    key, vendor, vendorLabel: vendor === 'cisco' ? 'Cisco' : vendor, productLabel: product, versionLabel: version,
    title: `Guide ${spec.document}`, sourcePath: sourcePathOf(key), originalFile: `/in/${spec.document}.md`, format: 'markdown',
    contentHash: createHash('sha256').update(original).digest('hex'), pageCount: pages.length, convertedAt: '2026-01-02T03:04:05.000Z',
  };
  const chunks = await prepareChunks(meta, pages, { vectorsByEmbedHash: () => new Map() }, null);
  if (spec.withVectors !== false) for (const c of chunks) c.vector = fakeVector(c.chunk.text);
  return { meta, markdown: serializeDocumentFile(meta, pages), pages, chunks, original };
}
