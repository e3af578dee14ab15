import type { Config } from '../config/config.js';
import { Library } from '../service/library.js';
import type { ServerContext } from '../http/context.js';

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  close(): Promise<void>;
}

/** Starts the HTTP server on config.host:config.port (127.0.0.1 unless told otherwise). */
export async function startServer(config: Config, library?: Library): Promise<RunningServer> {
  // The write API exists only with a token, so only then is the library opened for writing.
  const lib = library ?? (await Library.open(config, config.token ? 'write' : 'read'));
  const stopLibrary = () => (library ? lib.stopSearchWorkers() : lib.close());
  // The main thread only parses requests and writes responses: searches run on worker threads. They
  // start first, and the HTTP side (web pages, REST, MCP with its SDK, Hono and its Node adapter:
  // over 100 modules, all in http-server.ts's imports) loads while the threads load their own code
  // and the indexes: on two cores neither waits for the other, and the workers start before any of it.
  const workers = lib.startSearchWorkers({ workers: config.searchWorkers, queue: config.searchQueue, maxWaitMs: config.searchMaxWait, deadlineMs: config.searchDeadline });
  const [http, started] = await Promise.allSettled([import('./http-server.js'), workers]);
  if (http.status === 'rejected' || started.status === 'rejected') {
    await stopLibrary();
    throw started.status === 'rejected' ? started.reason : (http as PromiseRejectedResult).reason;
  }
  return http.value.listen(config, lib, stopLibrary);
}
