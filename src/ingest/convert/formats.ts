/**
 * Which format a file is, by its extension. Kept apart from the converters so that what only asks
 * this (finding sources, the API's schema) does not load the PDF library with them.
 */
export type SourceFormat = 'pdf' | 'html' | 'markdown' | 'text';

const FORMAT_BY_EXTENSION: Readonly<Record<string, SourceFormat>> = {
  '.pdf': 'pdf',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdx': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  // reStructuredText has no converter of its own; as text it stays readable and searchable.
  '.rst': 'text',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(FORMAT_BY_EXTENSION);

/** The lower-cased extension with its dot (`.rst.txt` counts as `.txt`), or '' when there is none. */
export function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

export function formatOf(fileName: string): SourceFormat | undefined {
  return FORMAT_BY_EXTENSION[extensionOf(fileName)];
}
