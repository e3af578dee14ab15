import http from 'node:http';
import net from 'node:net';

/**
 * Requests that fetch() will not send: any Host header (DNS-rebinding checks), raw bytes and odd
 * request lines (parser hardening). Shared by the MCP security and the hostile-request tests.
 */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * An HTTP request with full control over headers, including Host, which fetch() will not let a
 * caller set: DNS-rebinding checks can only be tested this way.
 */
export function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    if (options.body !== undefined) request.write(options.body);
    request.end();
  });
}

export interface RawAnswer {
  status: number;
  head: string;
  body: string;
}

/**
 * Sends bytes as they are (no URL normalisation, any request line) and reads until the server closes.
 * `halfClose` ends the sending side after the request, as a client with nothing more to say may; a
 * server then takes the client for gone once the request is read (Node's default), so complete
 * requests that need an answer from a search worker are sent without it.
 */
export function rawHttp(url: string, request: string | Buffer, timeoutMs = 5000, halfClose = true): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0), head, body: split < 0 ? '' : text.slice(split + 4) });
    });
    if (halfClose) socket.end(request);
    else socket.write(request);
  });
}

/** A GET with any Host (fetch() will not set one), answered with Connection: close. */
export function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  const host = headers['host'] ?? new URL(url).host;
  const lines = [`GET ${path} HTTP/1.1`, `Host: ${host}`, 'Connection: close', ...Object.entries(headers).filter(([k]) => k !== 'host').map(([k, v]) => `${k}: ${v}`)];
  return rawHttp(url, `${lines.join('\r\n')}\r\n\r\n`, 5000, false);
}

