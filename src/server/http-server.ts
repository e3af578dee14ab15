import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener, RequestError } from '@hono/node-server';
import type { Config } from '../config/config.js';
import type { Library } from '../service/library.js';
import { jobsFor } from '../service/jobs/jobs-for.js';
import { JobWorker } from '../service/jobs/job-worker.js';
import { Sessions } from '../http/session.js';
import { errorBody, type ErrorBody } from '../http/error-envelope.js';
import { NodeJobRunner } from '../service/scale-out/job-runner.js';
import type { ServerContext } from '../http/context.js';
import { corsPolicy } from '../http/cors.js';
import { frontDoor } from './front-door.js';
import { buildApp } from './app.js';
import type { RunningServer } from './serve.js';

/**
 * The HTTP side of a server: the surfaces, the front door and the listening socket, over a library
 * whose search workers are already starting (serve.ts loads this module while they load theirs).
 */

const CLOSE_GRACE_MS = 1000;

/**
 * What the surfaces share, for a library and its config. With a token, ingestion runs in a thread of
 * its own (see service/jobs/job-thread.ts), and jobs left by a stop or a crash are picked up at
 * once; `stopJobs` lets the running job give itself back to the queue. Over PostgreSQL every
 * writable node also takes jobs from the shared queue (NodeJobRunner), and its surfaces show them.
 */
export function serverContext(config: Config, library: Library): { ctx: ServerContext; stopJobs: () => Promise<void> } {
  const ctx: ServerContext = { library, config, baseUrl: '' };
  if (!config.token) return { ctx, stopJobs: async () => {} };
  ctx.sessions = new Sessions(config.token);
  const node = library.scaleOutNode;
  if (node) {
    const runner = new NodeJobRunner(library, node.jobs);
    ctx.jobs = jobsFor(library, { node: runner });
    runner.start();
    return { ctx, stopJobs: () => runner.stop() };
  }
  const worker = new JobWorker(config);
  ctx.jobs = jobsFor(library, { worker });
  if (library.jobTable().list({ limit: 1, statuses: ['queued', 'running'] }).length > 0) worker.wake();
  return { ctx, stopJobs: () => worker.stop() };
}


/**
 * Listens on config.host:config.port with the app over `lib`; `stopLibrary` undoes what starting
 * took (the workers, or the whole library when the server opened it), also when listening fails.
 */
export async function listen(config: Config, lib: Library, stopLibrary: () => Promise<void>): Promise<RunningServer> {
  const { ctx, stopJobs } = serverContext(config, lib);
  const { app, mcp } = buildApp(ctx);
  const listener = getRequestListener(app.fetch, { hostname: config.host, errorHandler: answerUnbuildableRequest });
  const server = http.createServer(frontDoor(listener, lib, corsPolicy(config.allowedOrigins), mcp));
  server.on('clientError', answerUnparsableRequest);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
  } catch (error) {
    await stopJobs();
    await stopLibrary();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  ctx.baseUrl = (config.publicUrl ?? url).replace(/\/+$/, '');
  return {
    url,
    ctx,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Requests in flight get a moment to finish; long ones (a job's event stream) are then cut.
      const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await closed;
      clearTimeout(grace);
      await stopJobs();
      await stopLibrary();
    },
  };
}

const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' };

/**
 * Requests that parse as HTTP but make no URL (a malformed Host header, a backslash in the path)
 * never reach the app either; the adapter's own answer is a bare 400.
 */
function answerUnbuildableRequest(error: unknown): Response {
  if (error instanceof RequestError) {
    return Response.json(errorBody('bad_request', `the request cannot be served: ${error.message}`, 'Check the Host header and the path'), { status: 400, headers: NOSNIFF });
  }
  console.error('mcdewey server: unexpected error', error);
  return Response.json(errorBody('internal', 'the server failed to answer this request', 'Retry; if it keeps failing, see the server log'), { status: 500, headers: NOSNIFF });
}

/**
 * Requests Node cannot parse (a URL or headers over its limit, a malformed request line) never
 * reach the app, and Node's own answer has an empty body. Answer with the same JSON error shape
 * as the API instead, saying what was wrong and what to change.
 */
function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node's default handler: write only if no response has started on this connection.
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, body } = parseFailure(error.code);
  const json = JSON.stringify(body);
  const head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(json)}\r\n` +
    'X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n';
  // Close once the answer is flushed; whatever else the client sends is not read.
  socket.end(head + json, () => socket.destroy());
}

/** The status Node itself would give each parser error, with a message that says what to change. */
function parseFailure(code: string | undefined): { status: number; body: ErrorBody } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, body: errorBody('headers_too_large', `the URL and headers of this request are larger than the ${Math.round(http.maxHeaderSize / 1024)} KB the server accepts`, 'Shorten the URL (for example the search query) or the headers') };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, body: errorBody('payload_too_large', 'the chunk extensions of this request body are too large', 'Send the body without chunk extensions') };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, body: errorBody('request_timeout', 'the request was not received in time', 'Send the whole request promptly') };
    default:
      return { status: 400, body: errorBody('bad_request', 'the request is not valid HTTP/1.1', 'Check the request line, the headers and the body framing') };
  }
}
