import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../../support/corpus.js';

/**
 * A stand-in for the model hub on 127.0.0.1, serving one model folder (in the hub's layout) under any repository
 * id it is told to accept, the way the hub does: the recursive tree listing API with sizes, git blob ids and LFS
 * SHA-256, `resolve` URLs that redirect LFS files to a content URL, and HTTP Range requests. Faults can be
 * injected: a connection dropped mid-file, a corrupted file.
 */
export interface HubServerOptions {
  modelDir: string;
  repos: string[];
  /** Extra files served as copies of existing ones: { 'onnx/model_quantized.onnx': 'onnx/model.onnx' }. */
  aliases?: Record<string, string>;
  /** Drop the connection after `afterBytes` of `file`, the first `times` times its content is requested. */
  cut?: { file: string; afterBytes: number; times: number };
  /** Serve this file with one byte changed (same size, so only the checksum can tell). */
  corrupt?: string;
  /** Entries per listing page; more pages are linked with `Link: <...>; rel="next"`. */
  pageSize?: number;
}

export interface LoggedRequest {
  path: string;
  range?: string;
}

export interface HubServer {
  url: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

interface ServedFile {
  path: string;
  content: Buffer;
  lfs: boolean;
  sha256: string;
}

const gitBlobSha1 = (content: Buffer | string): string =>
  createHash('sha1').update(`blob ${Buffer.byteLength(content)}\0`).update(content).digest('hex');

function readModel(options: HubServerOptions): Map<string, ServedFile> {
  const files = new Map<string, ServedFile>();
  const add = (relative: string, content: Buffer): void => {
    // As on the hub, the weights are LFS files; JSON files live in git.
    files.set(relative, { path: relative, content, lfs: relative.endsWith('.onnx'), sha256: createHash('sha256').update(content).digest('hex') });
  };
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else add(path.relative(options.modelDir, full).split(path.sep).join('/'), readFileSync(full));
    }
  };
  walk(options.modelDir);
  for (const [alias, original] of Object.entries(options.aliases ?? {})) add(alias, files.get(original)!.content);
  if (options.corrupt) {
    const file = files.get(options.corrupt)!;
    const content = Buffer.from(file.content);
    content[Math.floor(content.length / 2)]! ^= 0xff;
    files.set(options.corrupt, { ...file, content });
  }
  return files;
}

function listing(files: Map<string, ServedFile>, original: Map<string, ServedFile>): unknown[] {
  const entries: unknown[] = [{ type: 'directory', oid: gitBlobSha1('tree'), size: 0, path: 'onnx' }];
  for (const file of files.values()) {
    // The listing describes the true files, even when a corrupted one is served.
    const { content, sha256 } = original.get(file.path)!;
    if (file.lfs) {
      const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${content.length}\n`;
      entries.push({ type: 'file', oid: gitBlobSha1(pointer), size: content.length, path: file.path, lfs: { oid: sha256, size: content.length, pointerSize: pointer.length } });
    } else {
      entries.push({ type: 'file', oid: gitBlobSha1(content), size: content.length, path: file.path });
    }
  }
  return entries;
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const served = readModel(options);
  const original = readModel({ ...options, corrupt: undefined });
  const entries = listing(served, original);
  const requests: LoggedRequest[] = [];
  let cutsLeft = options.cut?.times ?? 0;

  const sendContent = (request: http.IncomingMessage, response: http.ServerResponse, file: ServedFile): void => {
    const size = file.content.length;
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    if (start > 0 && start >= size) {
      response.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    const body = file.content.subarray(start);
    response.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': body.length,
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${size - 1}/${size}` } : {}),
    });
    const cut = options.cut;
    if (cut && cut.file === file.path && cutsLeft > 0 && start < cut.afterBytes) {
      cutsLeft--;
      // Send part of the promised bytes, then drop the connection as a broken network would.
      response.write(body.subarray(0, cut.afterBytes - start), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname + url.search, ...(request.headers.range ? { range: request.headers.range } : {}) });
    const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/main$/.exec(url.pathname);
    if (tree) {
      if (!options.repos.includes(tree[1]!) || url.searchParams.get('recursive') !== 'true') return notFound(response);
      const pageSize = options.pageSize ?? entries.length;
      const cursor = Number(url.searchParams.get('cursor') ?? 0);
      const next = cursor + pageSize < entries.length ? `<${url.pathname}?recursive=true&cursor=${cursor + pageSize}>; rel="next"` : undefined;
      response.writeHead(200, { 'content-type': 'application/json', ...(next ? { link: next } : {}) });
      response.end(JSON.stringify(entries.slice(cursor, cursor + pageSize)));
      return;
    }
    const resolve = /^\/([^/]+\/[^/]+)\/resolve\/main\/(.+)$/.exec(url.pathname);
    if (resolve) {
      const file = served.get(decodeURIComponent(resolve[2]!));
      if (!options.repos.includes(resolve[1]!) || !file) return notFound(response);
      // The hub sends LFS files from a content store through a redirect.
      if (file.lfs) return void response.writeHead(302, { location: `/lfs-store/${file.sha256}?file=${encodeURIComponent(file.path)}` }).end();
      return sendContent(request, response, file);
    }
    const stored = /^\/lfs-store\/[0-9a-f]{64}$/.exec(url.pathname);
    const file = stored ? served.get(url.searchParams.get('file') ?? '') : undefined;
    if (file) return sendContent(request, response, file);
    notFound(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function notFound(response: http.ServerResponse): void {
  response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'Repository not found' }));
}

/** The model folder the tests serve: a random-weight BERT in the hub's layout. */
export const TINY_MODEL_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'models', 'tiny-random-bert');
