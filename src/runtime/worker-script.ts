import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What `new Worker(entry, { eval })` runs. */
export interface WorkerScript {
  entry: URL | string;
  /** True when `entry` is JavaScript source text rather than a module location. */
  eval: boolean;
}

/**
 * Finds the worker module `<baseName>` next to `moduleUrl`.
 *
 * The compiled build (dist/) has a `.js` sibling, which the worker runs directly. When the sources run through tsx
 * there is only the `.ts` file. On Node 20 a worker ignores `--import tsx` (in `execArgv` or inherited) and fails
 * with ERR_UNKNOWN_FILE_EXTENSION, so the worker instead runs a two-line bootstrap that registers tsx's loader
 * through its API and then imports the `.ts` module. The loader is resolved from this module rather than from the
 * process's working directory, so it is found wherever the CLI is started.
 */
export function resolveWorkerScript(baseName: string, moduleUrl: string | URL): WorkerScript {
  const compiled = new URL(`./${baseName}.js`, moduleUrl);
  if (existsSync(fileURLToPath(compiled))) return { entry: compiled, eval: false };

  const source = new URL(`./${baseName}.ts`, moduleUrl);
  if (!existsSync(fileURLToPath(source))) {
    throw new Error(`worker module not found: neither ${fileURLToPath(compiled)} nor ${fileURLToPath(source)} exists`);
  }
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap =
    `import(${JSON.stringify(tsxApi)})` +
    `.then(({ register }) => { register(); return import(${JSON.stringify(source.href)}); });`;
  return { entry: bootstrap, eval: true };
}
