/**
 * Document-derived text (titles, labels, headings, snippets, chunk text) made safe for a
 * terminal: control characters could move the cursor, clear the screen, retitle the window or
 * hide text behind escape sequences, and bidirectional overrides could reorder what is shown.
 * Each such character becomes U+FFFD; line breaks and tabs become spaces in a one-line field and
 * are kept in a block of text.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** For a one-line field: a title, a label, a heading. */
export function terminalLine(text: string): string {
  return terminalBlock(text).replace(/[\t\n]/g, ' ');
}

/** For a block of text shown as it is (a chunk's Markdown): keeps line breaks and tabs. */
export function terminalBlock(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(UNSAFE, '\ufffd');
}
