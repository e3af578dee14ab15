/**
 * Wakes a node when the store of record changes: LISTEN on one dedicated connection for prompt
 * updates, and a timer as the fallback (a notification lost while the connection was down, a
 * proxy that drops LISTEN). A dropped connection is re-opened with growing pauses, and a wake-up
 * follows every reconnection, since notifications sent meanwhile are gone.
 */
import type pg from 'pg';
import { createClient } from './pg-pool.js';
import { redactUrl } from './redact-url.js';
import { CHANGE_CHANNEL } from './pg-record-store.js';

export interface ListenerOptions {
  /** Milliseconds between fallback polls. */
  pollMs?: number;
  /** Called with each failure to (re)connect, for the log and the health endpoint. */
  onError?: (error: Error) => void;
}

export class ChangeListener {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private backoffMs = 250;
  private stopped = false;
  /** Whether the LISTEN connection is up (false: updates arrive by polling only). */
  listening = false;

  constructor(
    private readonly url: string,
    /** Called on a notification, a poll and a reconnection; the caller catches up (and coalesces calls). */
    private readonly wake: () => void,
    private readonly options: ListenerOptions = {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.wake(), this.options.pollMs ?? 1_000);
    this.timer.unref();
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = createClient(this.url);
    client.on('notification', (message) => {
      if (message.channel === CHANGE_CHANNEL) this.wake();
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the LISTEN connection closed')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.listening = true;
    this.backoffMs = 250;
    this.wake();
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.client !== undefined && this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    client.removeAllListeners();
    client.on('error', () => {}); // a late error from the dead connection must not crash the process
    client.end().catch(() => {});
    if (this.stopped) return;
    this.options.onError?.(new Error(`listening for changes on ${redactUrl(this.url)} failed: ${error.message}`));
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.connect(), this.backoffMs);
    this.retry.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, 5_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    if (client) {
      client.removeAllListeners();
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}
