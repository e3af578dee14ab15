import path from 'node:path';
import type { Library, SearchHit, SearchMode } from '../src/service/library.js';
import { ensureLibrary, LIBRARY_DESCRIPTIONS } from './lib/fixtures/libraries.js';
import { openLibrary } from './lib/fixtures/open-library.js';
import { QUESTION_KINDS, readQuestions, type Question, type QuestionKind } from './lib/fixtures/qa-questions.js';
import { measureMcpTokens, type McpTokenFigures } from './lib/parts/mcp-tokens.js';
import { log } from './lib/run/log.js';
import { commandFor, type BenchOptions } from './lib/run/options.js';
import { CORPUS_DIR, displayPath } from './lib/run/paths.js';
import { measure, type ResultFile } from './lib/report/results.js';

/**
 * The hand-written vendor-PDF questions (../shared/corpus/qa) against the library they were written
 * for (the PDFs among NetBox, FRR, IIS and Juniper documentation), per kind of question and per
 * ranking mode, as search answers by default (limit 5, no filters):
 *
 * - answerable kinds: hit@1 and hit@5, strict (the gold document and page) and lenient (also the same
 *   answer in another version or revision; never for version questions). A hit's page is the page of
 *   its best-matching text.
 * - the relevance floor: unanswerable questions recognised (search said nothing relevant was found)
 *   and answerable questions suppressed (it said so wrongly).
 *
 * Ranking figures are taken with the closest hits included even when the floor would hide them,
 * so that they measure ranking; "end to end" counts a suppressed answerable question as a miss.
 * Results name questions by id only. Also measured: MCP tokens per hit and of the tool list.
 */
export interface KindScores {
  questions: number;
  strict: { hit1: number; hit5: number };
  lenient: { hit1: number; hit5: number };
  /** hit@1 / hit@5 strict, counting a suppressed question as a miss. */
  endToEnd: { hit1: number; hit5: number };
  suppressed: number;
}

export interface ModeScores {
  mode: SearchMode;
  kinds: Partial<Record<QuestionKind, KindScores>>;
  unanswerable: { questions: number; recognised: number; rate: number };
  answerable: { questions: number; suppressed: number; rate: number };
  msPerQuery: number;
  /** Per question: the strict rank of the gold page (0 when not in the top 5) and the best match level. */
  outcomes: { id: string; kind: QuestionKind; rank: number; bestMatch: string }[];
}

export interface QaResults {
  questionSet: string;
  library: { documents: number; chunks: number };
  modes: ModeScores[];
  mcpTokens: McpTokenFigures;
}

const MODES: SearchMode[] = ['lexical', 'vector', 'hybrid'];
const LIMIT = 5;
const DEFAULT_SET = path.join(CORPUS_DIR, 'qa', 'vendor-pdf-questions-dev.jsonl');

/** Library document ids by the corpus path of their PDF (vendor/product/version/file). */
function documentsByPath(library: Library): Map<string, string> {
  const byPath = new Map<string, string>();
  for (const doc of library.documents()) {
    const at = doc.originalFile.replaceAll('\\', '/').lastIndexOf('/pdf/');
    if (at >= 0) byPath.set(doc.originalFile.slice(at + '/pdf/'.length), doc.docId);
  }
  return byPath;
}

/** 1-based rank of the first hit on one of the gold pages, or 0. */
function rankOf(hits: SearchHit[], gold: { docId: string | undefined; pages: number[] }[]): number {
  const index = hits.findIndex((h) => gold.some((g) => g.docId === h.docId && g.pages.includes(h.page)));
  return index + 1;
}

async function score(library: Library, questions: Question[], docIds: Map<string, string>, mode: SearchMode): Promise<ModeScores> {
  const outcomes: ModeScores['outcomes'] = [];
  const kinds: ModeScores['kinds'] = {};
  const started = performance.now();
  for (const q of questions) {
    const response = await library.search({ query: q.question, mode, limit: LIMIT, includeWeak: true });
    const suppressed = response.bestMatch === 'weak' || response.bestMatch === 'none';
    const strictGold = q.path === null ? [] : [{ docId: docIds.get(q.path), pages: q.pages }];
    const lenientGold = q.kind === 'version' ? strictGold : [...strictGold, ...q.alt_gold.map((g) => ({ docId: docIds.get(g.path), pages: g.pages }))];
    const rank = rankOf(response.hits, strictGold);
    outcomes.push({ id: q.id, kind: q.kind, rank, bestMatch: response.bestMatch });
    if (q.kind === 'unanswerable') continue;
    const k = (kinds[q.kind] ??= { questions: 0, strict: { hit1: 0, hit5: 0 }, lenient: { hit1: 0, hit5: 0 }, endToEnd: { hit1: 0, hit5: 0 }, suppressed: 0 });
    const lenient = rankOf(response.hits, lenientGold);
    k.questions++;
    k.strict.hit1 += rank === 1 ? 1 : 0;
    k.strict.hit5 += rank >= 1 ? 1 : 0;
    k.lenient.hit1 += lenient === 1 ? 1 : 0;
    k.lenient.hit5 += lenient >= 1 ? 1 : 0;
    k.endToEnd.hit1 += rank === 1 && !suppressed ? 1 : 0;
    k.endToEnd.hit5 += rank >= 1 && !suppressed ? 1 : 0;
    k.suppressed += suppressed ? 1 : 0;
  }
  for (const k of Object.values(kinds)) {
    for (const pair of [k.strict, k.lenient, k.endToEnd]) {
      pair.hit1 = round(pair.hit1 / k.questions);
      pair.hit5 = round(pair.hit5 / k.questions);
    }
  }
  const unanswerable = outcomes.filter((o) => o.kind === 'unanswerable');
  const recognised = unanswerable.filter((o) => o.bestMatch === 'weak' || o.bestMatch === 'none').length;
  const answerable = outcomes.filter((o) => o.kind !== 'unanswerable');
  const suppressed = answerable.filter((o) => o.bestMatch === 'weak' || o.bestMatch === 'none').length;
  return {
    mode, kinds,
    unanswerable: { questions: unanswerable.length, recognised, rate: round(recognised / Math.max(1, unanswerable.length)) },
    answerable: { questions: answerable.length, suppressed, rate: round(suppressed / Math.max(1, answerable.length)) },
    msPerQuery: round((performance.now() - started) / Math.max(1, questions.length)),
    outcomes,
  };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

export async function runQa(options: BenchOptions): Promise<ResultFile<QaResults>> {
  const file = options.questions ?? DEFAULT_SET;
  const conditions = {
    library: LIBRARY_DESCRIPTIONS.qa, embedder: options.embedder, questions: displayPath(file), limit: LIMIT,
    search: 'library.search with default settings (no filters; newest relevant version per product; product/version named in the question searched alone), closest hits included for the ranking figures',
    kinds: QUESTION_KINDS.join(', '),
    timing: 'ms/query after one untimed default search per question (indexes loaded, query vectors cached): ranking, folding and hits, not embedding',
  };
  return measure('qa', commandFor('qa', options, ['embedder', 'questions']), conditions, async () => {
    const questions = readQuestions(file);
    const built = await ensureLibrary('qa', options.embedder);
    const library = await openLibrary(built.data, options.embedder);
    try {
      const docIds = documentsByPath(library);
      const missing = questions.filter((q) => q.path !== null && !docIds.has(q.path));
      if (missing.length > 0) throw new Error(`the qa library lacks the gold documents of ${missing.map((q) => q.id).join(', ')}`);
      // Untimed: each question once as the default search runs it, so every mode's ms/query finds the
      // indexes loaded and the query vectors cached (the first mode had paid for both).
      for (const q of questions) await library.search({ query: q.question, limit: LIMIT });
      const modes: ModeScores[] = [];
      for (const mode of MODES) {
        log(`qa: ${questions.length} questions, ${mode}`);
        modes.push(await score(library, questions, docIds, mode));
      }
      log('qa: MCP tokens');
      const mcpTokens = await measureMcpTokens(library, built.data, options.embedder, questions.filter((q) => q.kind !== 'unanswerable').map((q) => q.question));
      return { questionSet: displayPath(file), library: { documents: built.documents, chunks: built.chunks }, modes, mcpTokens };
    } finally {
      await library.close();
    }
  });
}
