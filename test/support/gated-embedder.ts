import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenAI-compatible embeddings endpoint on loopback whose answers can be held back: while
 * held, every request waits until released (or its client hangs up). Tests use it to keep searches
 * running for as long as they need (admission, deadlines, cancellation, worker crashes) without
 * timing races. Vectors are derived from the text, so the same text always gets the same vector.
 */
export interface GatedEmbedder {
  /** The embedder spec for `--embedder`. */
  spec: string;
  hold(): void;
  release(): void;
  /** Requests that arrived while held and are still waiting. */
  readonly waiting: number;
  close(): Promise<void>;
}

const DIMENSIONS = 16;

function vectorOf(text: string): number[] {
  let state = 2166136261;
  for (let i = 0; i < text.length; i++) state = Math.imul(state ^ text.charCodeAt(i), 16777619);
  return Array.from({ length: DIMENSIONS }, () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5);
}

export async function startGatedEmbedder(): Promise<GatedEmbedder> {
  let held = false;
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  let waiting = 0;
  const newGate = () => {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    return { promise, open };
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      let raw = '';
      for await (const chunk of request) raw += chunk;
      if (held && gate) {
        waiting++;
        await Promise.race([gate.promise, new Promise((resolve) => response.once('close', resolve))]);
        waiting--;
        if (response.destroyed) return;
      }
      const body = JSON.parse(raw) as { input: string[] };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data: body.input.map((text, index) => ({ object: 'embedding', index, embedding: vectorOf(text) })) }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    spec: `openai:gated@http://127.0.0.1:${port}/v1`,
    hold() {
      held = true;
      gate ??= newGate();
    },
    release() {
      held = false;
      gate?.open();
      gate = undefined;
    },
    get waiting() {
      return waiting;
    },
    close: () => {
      gate?.open();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
