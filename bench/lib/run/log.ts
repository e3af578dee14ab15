/** Progress goes to stderr with a clock, so that a long background build can be followed with tail -f. */
export function log(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
