import { loadConfig, type Config } from '../../src/config/config.js';
import { Library, type OpenMode } from '../../src/service/library.js';

/** The configuration the CLI would build for `--data <dir> --embedder <spec>`, ignoring the caller's environment. */
export function benchConfig(data: string, embedder: string): Config {
  return loadConfig({ data, embedder, port: 0, host: '127.0.0.1' }, {});
}

export function openLibrary(data: string, embedder: string, mode: OpenMode = 'read'): Promise<Library> {
  return Library.open(benchConfig(data, embedder), mode);
}
