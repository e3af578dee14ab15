import fs from 'node:fs';
import path from 'node:path';

/**
 * Whether `command` can be run: an executable file at that path when it names one, otherwise an
 * executable of that name in a folder on PATH (read when asked, so a changed PATH counts).
 */
export function commandExists(command: string): boolean {
  const executable = (file: string) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  };
  if (command.includes('/') || command.includes(path.sep)) return executable(command);
  return (process.env['PATH'] ?? '').split(path.delimiter).some((folder) => folder !== '' && executable(path.join(folder, command)));
}
