/** The title to fall back on when a document names none: its file name without folders or extension. */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const stem = base.replace(/\.rst\.txt$/i, '').replace(/\.[^.]+$/, '');
  return stem || base || fileName;
}
