/**
 * Vertical bars drawn as typographic separators, not text: "STEP 8 | To onboard an app" (a step
 * label set off by a bar), or a bar left at the start or end of a line once the text it separated
 * was dropped. Bars between words of a command ("list-functions | grep Name") stay.
 */
const STEP_BAR = /^((?:step|task|phase)\s+\d+[a-z]?)\s+\|\s+/i;
const EDGE_BAR = /^\|\s+|\s+\|$/g;

export function withoutStrayPipes(text: string): string {
  return text.replace(STEP_BAR, '$1 ').replace(EDGE_BAR, '').trim();
}
