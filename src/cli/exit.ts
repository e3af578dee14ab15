/**
 * Ending the CLI without losing output. `process.exit` does not wait for stdout: on a pipe
 * (`mcdewey list --json | jq`) Node writes asynchronously, and whatever the pipe has not taken
 * yet (beyond its 64 KB buffer) would be dropped with exit code 0. A reader that goes away early
 * (`| head`) is not a crash either: the rest of the output is discarded quietly.
 */
let outputFailure: Error | undefined;

/** Installs the handlers; call once before any output. */
export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') outputFailure ??= error;
      // Nothing more can be written there; later writes are dropped instead of raising.
      stream.destroy();
    });
  }
}

/** Exits with `code` (1 if output could not be written) once stdout and stderr have been flushed. */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  if (outputFailure && code === 0) code = 1;
  process.exit(code);
}

/** Resolves once everything written before has been handed to the OS (or cannot be anymore). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || stream.writableEnded) return Promise.resolve();
  // Writes complete in order, so this empty write's callback runs after all earlier ones.
  return new Promise((resolve) => stream.write('', () => resolve()));
}
