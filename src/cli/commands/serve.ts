import type { Command } from 'commander';
import { loadConfig } from '../../config/config.js';
import { claimNote } from '../context.js';
import { redactUrl } from '../../store/postgres/redact-url.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Serve the web UI, the REST API and the MCP endpoint at /mcp')
    .option('--host <address>', 'address to bind (default 127.0.0.1; use 0.0.0.0 only behind a proxy or with --token)')
    .option('--port <port>', 'port (default 8765; 0 picks a free one)')
    .option('--public-url <url>', 'base URL used in links given to agents')
    .option('--token <token>', 'bearer token for /mcp and the write API (prefer the MCDEWEY_TOKEN environment variable)')
    .option('--allowed-hosts <list>', 'extra Host names accepted on /mcp, comma-separated')
    .option('--allowed-origins <list>', 'browser Origins accepted on /mcp and allowed to call /mcp and /api from a page (CORS), comma-separated')
    .option('--search-workers <n>', 'worker threads searches run on (default: one per CPU core)')
    .option('--search-queue <n>', 'searches that may wait for a worker before the server answers 503 (default 64)')
    .option('--search-max-wait <ms>', 'milliseconds a search may expect to wait (for a worker and the main thread) before the server answers 503 (default 300; 0: only --search-queue)')
    .option('--search-deadline <ms>', 'milliseconds a search may take before the server answers 503 (default 10000)')
    .action(async (options: Record<string, string | undefined>, command: Command) => {
      const globals = command.optsWithGlobals() as Record<string, unknown>;
      const config = loadConfig({
        data: globals['data'], embedder: globals['embedder'], store: globals['store'], storePoolSize: globals['storePoolSize'], host: options['host'], port: options['port'],
        publicUrl: options['publicUrl'], token: options['token'], allowedHosts: options['allowedHosts'],
        allowedOrigins: options['allowedOrigins'], searchWorkers: options['searchWorkers'], searchQueue: options['searchQueue'],
        searchMaxWait: options['searchMaxWait'], searchDeadline: options['searchDeadline'],
      });
      // Loaded on demand so that other commands do not pay for the HTTP stack at start-up.
      const { startServer } = await import('../../server/serve.js');
      const server = await startServer(config);
      // Counts, not the library tree: building the tree reads the whole catalog (0.5 s at 15,000
      // documents), and the first page or search that needs it reads it anyway.
      const counts = server.ctx.library.counts();
      const note = claimNote(server.ctx.library);
      if (note) process.stderr.write(`note: ${note}\n`);
      for (const notice of server.ctx.library.notices()) process.stderr.write(`warning: ${notice}\n`);
      process.stderr.write(
        `McDewey serving ${counts.documents} documents (${counts.chunks} chunks) from ${config.store ? `${redactUrl(config.store)} (local replica in ${config.data})` : config.data}\n` +
          `  web UI   ${server.ctx.baseUrl}/\n  REST API ${server.ctx.baseUrl}/api  (OpenAPI: ${server.ctx.baseUrl}/api/openapi.json)\n` +
          `  MCP      ${server.ctx.baseUrl}/mcp${config.token ? ' (bearer token required)' : ''}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
    });
}
