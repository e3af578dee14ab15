import { execFile } from 'node:child_process';

/**
 * Runs a helper program (pdftoppm, tesseract) without a shell, with a time limit after which it
 * is killed, and reports its process id while it runs so that whoever may stop the conversion can
 * stop it too (a thread that is terminated does not take its child processes with it).
 */
export type CommandFailure = 'missing' | 'timed-out' | 'failed';

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly failure: CommandFailure,
    /** Why, in a few words (the first line the program wrote on stderr). */
    readonly detail: string,
    /** All it wrote on stderr, for callers that look for a known message. */
    readonly stderr = '',
  ) {
    super(`${command} ${failure === 'missing' ? 'is not installed' : failure === 'timed-out' ? `took too long (${detail})` : `failed (${detail})`}`);
    this.name = 'CommandError';
  }
}

export interface CommandOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  /** Largest output accepted on stdout, in bytes. */
  maxOutputBytes?: number;
  /** Told the process id when it starts and when it has ended. */
  onProcess?: (pid: number, running: boolean) => void;
}

const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;

const MAX_STDERR = 4096;

/** The first line of what a program wrote on stderr, shortened: enough to say what went wrong. */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        encoding: 'buffer',
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
        env: options.env ?? process.env,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (child.pid !== undefined) options.onProcess?.(child.pid, false);
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return reject(new CommandError(command, 'missing', ''));
        if (error.killed && error.signal === 'SIGKILL') {
          return reject(new CommandError(command, 'timed-out', `stopped after ${Math.round(options.timeoutMs / 1000)} s`));
        }
        const text = stderr.subarray(0, MAX_STDERR).toString('utf8');
        const reason = firstLine(text) || (error.signal ? `killed by ${error.signal}` : `exit code ${String(code ?? 'unknown')}`);
        reject(new CommandError(command, 'failed', reason, text));
      },
    );
    if (child.pid !== undefined) options.onProcess?.(child.pid, true);
  });
}
