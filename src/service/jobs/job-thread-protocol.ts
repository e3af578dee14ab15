/** Messages between a server and its job thread (job-thread.ts). */
export type WorkerMessage = { type: 'wake' } | { type: 'cancel'; id: string } | { type: 'stop' };

export type ThreadMessage =
  | { type: 'ready' }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };
