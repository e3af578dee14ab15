/**
 * Whether a chunk is a table of contents rather than a passage. A contents page lists a manual's
 * section titles, so it holds many of a question's words ("Version 1.2.2", "Addressed Issues")
 * while answering none of them; ranked as a passage it outranks the page it points to. PDF
 * conversion writes each contents line as its title, a collapsed dot leader and the page it points
 * to ("Known Issues ... 5", in a table "| 8.1 | Option 1: Launch ... 12 |"), which is what is
 * read here: a chunk is a contents listing when at least three of its lines, and at least half of
 * its lines of text (headings and table rules aside), end that way. A passage that cites a page
 * once ("see Limits ... 5") stays a passage.
 */

/** A collapsed leader then a page reference ("5", "iii", "A-3", "12-4"), at the end of a line or of its last table cell. */
const LEADER_LINE = / \.\.\. ?[\p{L}\p{N}][\p{L}\p{N}.–-]{0,7}\s*(?:\|\s*)?$/u;
/** Lines that are structure, not text: headings and table rules. */
const STRUCTURE_LINE = /^\s*(?:#{1,6}\s|\|?\s*:?-{3,})/;

const MIN_ENTRIES = 3;

export function isContentsListing(text: string): boolean {
  if (!text.includes(' ...')) return false;
  let lines = 0;
  let entries = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || STRUCTURE_LINE.test(line)) continue;
    lines++;
    if (LEADER_LINE.test(line)) entries++;
  }
  return entries >= MIN_ENTRIES && 2 * entries >= lines;
}
