/**
 * The UI's stylesheet, script and icon, kept as string constants so the same code serves them
 * from src/ (tsx) and dist/ alike. Links carry a content hash, so browsers may cache them for
 * good and still see a new version right after an upgrade.
 */

import { createHash } from 'node:crypto';
import { APP_CSS } from './static/app-css.js';
import { APP_JS } from './static/app-js.js';
import { FAVICON_SVG } from './static/favicon-svg.js';
import { CURATE_CSS } from './static/curate-css.js';
import { CURATE_JS } from './static/curate-js.js';

interface Asset {
  body: string;
  type: string;
  hash: string;
}

const asset = (body: string, type: string): Asset => ({ body, type, hash: createHash('sha256').update(body).digest('hex').slice(0, 12) });

const ASSETS = {
  'app.css': asset(APP_CSS, 'text/css; charset=utf-8'),
  'app.js': asset(APP_JS, 'text/javascript; charset=utf-8'),
  'favicon.svg': asset(FAVICON_SVG, 'image/svg+xml'),
  'curate.css': asset(CURATE_CSS, 'text/css; charset=utf-8'),
  'curate.js': asset(CURATE_JS, 'text/javascript; charset=utf-8'),
} as const;

export type AssetName = keyof typeof ASSETS;

export function assetHref(name: AssetName): string {
  return `/static/${name}?v=${ASSETS[name].hash}`;
}

/** The asset's response, or undefined when there is no such asset. */
export function assetResponse(name: string, version: string | undefined): Response | undefined {
  if (!Object.hasOwn(ASSETS, name)) return undefined;
  const { body, type, hash } = ASSETS[name as AssetName];
  const cache = version === hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300';
  return new Response(body, { headers: { 'Content-Type': type, 'Cache-Control': cache } });
}
