import fs from 'node:fs';
import path from 'node:path';
import { convertFile } from './src/ingest/convert/index.js';
const dir = '/work/shared/corpus/markdown/frrouting-user-manual-html/8.4.4';
const files = fs.readdirSync(dir).filter(f => f.endsWith('.html') && f !== 'genindex.html' && f !== 'search.html');
await convertFile({ bytes: new TextEncoder().encode('<html><body><p>x</p></body></html>'), fileName: 'x.html' });
const t0 = performance.now();
for (const f of files) await convertFile({ bytes: new Uint8Array(fs.readFileSync(path.join(dir, f))), fileName: f });
console.log('first pass', (performance.now() - t0).toFixed(0), 'ms');
