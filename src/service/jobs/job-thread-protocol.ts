/** Messages between a server and its job thread (job-thread.ts). */
export type WorkerMessage = { type: 'wake' } | { type: 'cancel'; id: string } | { type: 'stop' };

export type ThreadMessage =
  | { type: 'ready' }
  | { type: 'finished'; id: string; status: string }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };
