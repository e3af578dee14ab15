import http from 'node:http';
import net from 'node:net';

/**
 * Clients fetch() will not be: a request with any Host and Origin, one that sends its headers a
 * byte at a time, and one that reads a large answer slowly. Each is bounded by `limitMs` and
 * reports what it saw instead of throwing, so a soak loop never stalls on one.
 */
export interface RawAnswer {
  /** HTTP status, or undefined when none arrived. */
  status?: number;
  bytes: number;
  /** Why no complete answer arrived: a socket error code, "closed" or "gave up". */
  failure?: string;
  body: string;
}

/** A request with the given headers (Host included), as node:http sends them. */
export function rawRequest(base: string, route: string, method: string, headers: Record<string, string>, body: string | undefined, limitMs: number): Promise<RawAnswer> {
  const url = new URL(route, base);
  return new Promise((resolve) => {
    const request = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: false, timeout: limitMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks);
        resolve({ status: response.statusCode, bytes: text.length, body: text.toString('utf8', 0, Math.min(text.length, 2000)) });
      });
      response.on('error', (error: NodeJS.ErrnoException) => resolve({ status: response.statusCode, bytes: 0, failure: error.code ?? error.message, body: '' }));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('gave up'), { code: 'gave up' })));
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ bytes: 0, failure: error.code ?? error.message, body: '' }));
    request.end(body);
  });
}

/**
 * A GET whose request line and headers are written one byte every `byteEveryMs` (a slowloris
 * client), then read whole. The server may answer once the headers are complete, or give up on
 * the client first (408 or a closed socket); both are outcomes, not errors of this client.
 */
export function dripHeaders(base: string, route: string, byteEveryMs: number, limitMs: number): Promise<RawAnswer> {
  const url = new URL(route, base);
  const bytes = Buffer.from(`GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUser-Agent: soak-drip\r\nConnection: close\r\n\r\n`);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let sent = 0;
    let settled = false;
    const finish = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearInterval(drip);
      clearTimeout(limit);
      socket.destroy();
      resolve(parseRaw(Buffer.concat(received), failure));
    };
    const drip = setInterval(() => {
      if (sent < bytes.length && !socket.destroyed) socket.write(bytes.subarray(sent, ++sent));
    }, byteEveryMs);
    const limit = setTimeout(() => finish('gave up'), limitMs);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('end', () => finish());
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.on('close', () => finish());
  });
}

/**
 * A GET read `chunkBytes` at a time with a pause of `pauseMs` after each chunk, so the answer sits
 * in the server's buffers (a slow reader on a bad link). The socket's receive buffer is kept small
 * by reading in paused mode; loopback still buffers some of it in the kernel.
 */
export function slowRead(base: string, route: string, headers: Record<string, string>, chunkBytes: number, pauseMs: number, limitMs: number): Promise<RawAnswer> {
  const url = new URL(route, base);
  const head = Object.entries({ Host: url.host, Connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const received: Buffer[] = [];
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (failure?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(limit);
      socket.destroy();
      resolve(parseRaw(Buffer.concat(received), failure));
    };
    const limit = setTimeout(() => finish('gave up'), limitMs);
    const readSome = () => {
      let chunk: Buffer | null;
      // One small read per pause; the rest waits in the socket.
      if ((chunk = socket.read(chunkBytes) as Buffer | null) !== null || (chunk = socket.read() as Buffer | null) !== null) received.push(chunk);
      timer = setTimeout(readSome, pauseMs);
    };
    socket.once('connect', () => {
      socket.write(`GET ${url.pathname}${url.search} HTTP/1.1\r\n${head}\r\n`);
      timer = setTimeout(readSome, pauseMs);
    });
    socket.on('end', () => {
      // Whatever is still buffered arrived in full.
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) received.push(chunk);
      finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.pause();
  });
}

/** Status line and body size of a raw HTTP/1.1 answer (Connection: close, so the body runs to the end). */
function parseRaw(raw: Buffer, failure: string | undefined): RawAnswer {
  const text = raw.toString('latin1');
  const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
  const split = text.indexOf('\r\n\r\n');
  const bytes = split >= 0 ? raw.length - split - 4 : 0;
  return { ...(match ? { status: Number(match[1]) } : {}), bytes, ...(failure ? { failure } : {}), body: split >= 0 ? text.slice(split + 4, split + 2004) : '' };
}
