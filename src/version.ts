import fs from 'node:fs';

/** The version in package.json: the one place it is written, read by the CLI, server and MCP. */
let cached: string | undefined;
export function packageVersion(): string {
  cached ??= (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
