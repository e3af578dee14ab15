import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import type { Qrels } from './metrics.js';
import { LibraryError } from '../library/errors.js';

/** A BEIR-format dataset folder: corpus.jsonl, queries.jsonl, qrels/<split>.tsv. */
export interface BeirDocument { id: string; title: string; text: string }
export interface BeirDataset {
  name: string;
  corpus: BeirDocument[];
  queries: Map<string, string>;
  qrels: Map<string, Qrels>;
}

const CorpusLine = z.object({ _id: z.coerce.string(), title: z.string().default(''), text: z.string().default('') });
const QueryLine = z.object({ _id: z.coerce.string(), text: z.string() });

export class DatasetError extends LibraryError {
  constructor(file: string, problem: string) {
    super('invalid_input', `${file}: ${problem}`, 'A BEIR dataset folder holds corpus.jsonl, queries.jsonl and qrels/<split>.tsv.');
    this.name = 'DatasetError';
  }
}

async function readJsonLines<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  if (!fs.existsSync(file)) throw new DatasetError(file, 'not found');
  const rows: T[] = [];
  let lineNumber = 0;
  for await (const line of readline.createInterface({ input: fs.createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new DatasetError(file, `line ${lineNumber} is not JSON`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new DatasetError(file, `line ${lineNumber}: ${parsed.error.issues[0]?.message}`);
    rows.push(parsed.data);
  }
  return rows;
}

export function readQrels(file: string): Map<string, Qrels> {
  if (!fs.existsSync(file)) throw new DatasetError(file, 'not found');
  const qrels = new Map<string, Qrels>();
  for (const [i, line] of fs.readFileSync(file, 'utf8').split('\n').entries()) {
    const [query, doc, score] = line.trim().split('\t');
    if (!query || !doc || score === undefined || (i === 0 && query === 'query-id')) continue;
    let judged = qrels.get(query);
    if (!judged) qrels.set(query, (judged = new Map()));
    judged.set(doc, Number(score));
  }
  return qrels;
}

export async function loadBeir(folder: string, split: string): Promise<BeirDataset> {
  const corpus = await readJsonLines(path.join(folder, 'corpus.jsonl'), CorpusLine);
  const queries = await readJsonLines(path.join(folder, 'queries.jsonl'), QueryLine);
  return {
    name: path.basename(path.resolve(folder)),
    corpus: corpus.map((d) => ({ id: d._id, title: d.title, text: d.text })),
    queries: new Map(queries.map((q) => [q._id, q.text])),
    qrels: readQrels(path.join(folder, 'qrels', `${split}.tsv`)),
  };
}
