/**
 * Pipe tables that are really running text: one word per row ("Palo" / "Alto" / "Networks" / …),
 * what a column layout or a sidebar read as a table looks like. A table counts when at least
 * three of its rows, and at least half of them, hold a single word in all their cells together.
 */
const MIN_ONE_WORD_ROWS = 3;

function rowsOf(markdown: string): string[][][] {
  const tables: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    if (/^\|(\s*-{3,}\s*\|)+$/.test(line)) continue;
    if (!current) tables.push((current = []));
    current.push(line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
  }
  return tables;
}

/** The one-word-per-row tables of a page of Markdown, each as its first few words. */
export function oneWordRowTables(markdown: string): string[] {
  return rowsOf(markdown)
    .filter((rows) => {
      const oneWord = rows.filter((row) => row.join(' ').trim().split(/\s+/).filter(Boolean).length === 1).length;
      return oneWord >= MIN_ONE_WORD_ROWS && oneWord * 2 >= rows.length;
    })
    .map((rows) => rows.slice(0, 8).map((row) => row.filter(Boolean).join(' ')).join(' / '));
}
