import { analyze } from '../analysis/analyzer.js';

/**
 * English function words: pronouns, auxiliaries and modals, question words, determiners and
 * conjunctions. They carry the grammar of a question ("how do I …", "what happens when we …"),
 * not its subject, yet manuals use them so rarely that their idf is high; counted as evidence they
 * would make a passage look irrelevant for missing "I" and "my". Negations and particles that
 * change meaning ("not", "off", "only", "out") are not in the list. Ranking does not use this list;
 * only the relevance floor does.
 */
const WORDS = `
i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his himself
she her hers herself it its itself they them their theirs themselves one ones someone something anything
what which who whom whose where when why how whether
am is are was were be been being have has had having do does did doing done
can could may might must shall should will would ought let lets
a an the this that these those some any each every either neither both all such
and or but nor so yet if then than because though although while as
of at by for with about from into onto to in on
there here also just very really actually still even
i'm i've i'd i'll we're we've we'd don't doesn't didn't can't cannot won't isn't aren't
`;

export const FUNCTION_WORDS: ReadonlySet<string> = new Set(analyze(WORDS));
