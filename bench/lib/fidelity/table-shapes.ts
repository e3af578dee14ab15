/**
 * Pipe tables that are really running text, one word per row ("Palo" / "Alto" / "Networks" /
 * "recommends" / …): what a column layout or a narrow sidebar read as a table looks like. A table
 * counts when, in some column, at least four consecutive rows hold a single word each and those
 * words read like prose: mostly lowercase words, mostly different (a column of identifiers,
 * types or yes/no values is a real table).
 */
const MIN_RUN = 4;
const MIN_LOWERCASE_SHARE = 0.5;
const MIN_DISTINCT_SHARE = 0.6;

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

function readsLikeProse(words: readonly string[]): boolean {
  const lowercase = words.filter((word) => /^\p{Ll}+[.,;:]?$/u.test(word)).length;
  return lowercase >= words.length * MIN_LOWERCASE_SHARE && new Set(words.map((w) => w.toLowerCase())).size >= words.length * MIN_DISTINCT_SHARE;
}

/** A run of one word per row in some column of the table, as the words joined by " / ", or undefined. */
function oneWordRun(rows: readonly string[][]): string | undefined {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  for (let column = 0; column < columns; column++) {
    let run: string[] = [];
    for (const row of [...rows, []]) {
      const cell = row[column] ?? '';
      if (cell !== '' && !/\s/.test(cell)) {
        run.push(cell);
        continue;
      }
      if (run.length >= MIN_RUN && readsLikeProse(run)) return run.slice(0, 10).join(' / ');
      run = [];
    }
  }
  return undefined;
}

/** The one-word-per-row tables of a page of Markdown, each as its first words. */
export function oneWordRowTables(markdown: string): string[] {
  return rowsOf(markdown).flatMap((rows) => {
    const run = oneWordRun(rows);
    return run === undefined ? [] : [run];
  });
}
