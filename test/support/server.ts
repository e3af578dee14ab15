import type { Config } from '../../src/config/config.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import type { Fixture } from './library-fixture.js';

/**
 * The real HTTP server (web UI, REST API, MCP, security headers) over a fixture library, on a free
 * loopback port. Every test that needs a server starts it here; `overrides` set a token, allowed
 * hosts, a public URL and so on.
 */
export function startTestServer(fixture: Pick<Fixture, 'config' | 'library'>, overrides: Partial<Config> = {}): Promise<RunningServer> {
  return startServer({ ...fixture.config, host: '127.0.0.1', port: 0, ...overrides }, fixture.library);
}
