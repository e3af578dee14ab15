import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigReference } from '../src/config/reference.js';

// Writes docs/configuration.md from the config schema (a test checks it is up to date).
const target = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));
fs.writeFileSync(target, renderConfigReference());
process.stdout.write(`wrote ${target}\n`);
