import { serveStdio, StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { ServerContext } from '../http/context.js';
import { createMcpServer } from './server.js';

/**
 * The same MCP server over stdio, for hosts that launch `mcdewey mcp` themselves. The SDK entry
 * serves whichever protocol era the host opens with. Resolves when the host closes stdin; stdout
 * carries nothing but protocol messages, diagnostics go to stderr.
 */
export async function serveMcpOverStdio(ctx: ServerContext): Promise<void> {
  const stdinClosed = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
  });
  const connection = serveStdio(() => createMcpServer(ctx), {
    transport: new StdioServerTransport(),
    onerror: (error) => process.stderr.write(`mcdewey mcp: ${error.message}\n`),
  });
  await stdinClosed;
  await connection.close();
}
