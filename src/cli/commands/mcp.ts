import type { Command } from 'commander';
import { configFrom, openLibrary } from '../context.js';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description('Serve the MCP tools over stdio (for hosts that launch a local command)')
    .option('--public-url <url>', 'base URL of a running `mcdewey serve`, used for chunk links in results')
    .action(async (options: { publicUrl?: string }, command: Command) => {
      const config = configFrom(command);
      // Loaded on demand so that other commands do not pay for the MCP SDK at start-up.
      const { serveMcpOverStdio } = await import('../../mcp/stdio.js');
      const library = await openLibrary(config, 'read');
      await serveMcpOverStdio({ library, config, baseUrl: (options.publicUrl ?? `http://${config.host}:${config.port}`).replace(/\/+$/, '') });
    });
}
