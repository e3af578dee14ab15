import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Library } from '../../src/service/library.js';
import { loadConfig, type Config } from '../../src/config/config.js';
import type { LabelFlags } from '../../src/ingest/sources/discover.js';
import { corpusPath } from './corpus.js';

/**
 * A real library in a temporary data directory, built from real corpus files through the real
 * pipeline. `embedder: 'none'` keeps it fast; pass 'use-lite' where vectors matter.
 */
export interface Fixture {
  config: Config;
  library: Library;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** A small multi-vendor, multi-version PDF set: three FTDv AWS versions, two ASAv Azure versions, a Palo Alto note. */
export const SMALL_PDF_SET = [
  'pdf/cisco/ftdv-autoscale-aws/6.6.0',
  'pdf/cisco/ftdv-autoscale-aws/6.7.0',
  'pdf/cisco/ftdv-autoscale-aws/latest-2025-06',
  'pdf/cisco/asav-autoscale-azure/9.15',
  'pdf/cisco/asav-autoscale-azure/9.19',
  'pdf/paloalto/vm-series-aws-autoscaling-template/2.0.1',
];

/** A corpus path, alone (labelled from its folder layout) or with the labels `mcdewey add` would be given. */
export type FixtureSource = string | { path: string; labels: LabelFlags };

export async function buildFixture(options: { embedder?: string; sources?: FixtureSource[] } = {}): Promise<Fixture> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcdewey-test-'));
  const config = loadConfig({ data: dataDir, embedder: options.embedder ?? 'none', port: 0 }, {});
  const library = await Library.open(config, 'write');
  const sources = (options.sources ?? SMALL_PDF_SET).flatMap((source) =>
    typeof source === 'string' ? library.plan([corpusPath(source)]) : library.plan([corpusPath(source.path)], source.labels));
  const results = await library.add(sources);
  const failed = results.filter((r) => r.status === 'failed');
  if (failed.length > 0) throw new Error(`fixture ingestion failed: ${failed.map((f) => f.error).join('; ')}`);
  return {
    config,
    library,
    dataDir,
    cleanup: async () => {
      await library.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
