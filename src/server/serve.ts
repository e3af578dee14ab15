import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config/config.js';
import { Library } from '../service/library.js';
import { createApp } from './app.js';
import type { ServerContext } from './context.js';

export interface RunningServer {
  url: string;
  ctx: ServerContext;
  close(): Promise<void>;
}

/** Starts the HTTP server on config.host:config.port (127.0.0.1 unless told otherwise). */
export async function startServer(config: Config, library?: Library): Promise<RunningServer> {
  // The write API exists only with a token, so only then is the library opened for writing.
  const lib = library ?? (await Library.open(config, config.token ? 'write' : 'read'));
  const ctx: ServerContext = { library: lib, config, baseUrl: '' };
  const app = createApp(ctx);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  ctx.baseUrl = (config.publicUrl ?? url).replace(/\/+$/, '');
  return {
    url,
    ctx,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!library) await lib.close();
    },
  };
}
