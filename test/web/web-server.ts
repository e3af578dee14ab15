import type { RunningServer } from '../../src/server/serve.js';

export interface WebAnswer {
  status: number;
  headers: Headers;
  html: string;
}

export async function get(server: RunningServer, path: string): Promise<WebAnswer> {
  const response = await fetch(`${server.url}${path}`);
  return { status: response.status, headers: response.headers, html: await response.text() };
}

/** The page's visible text in document order, tags removed and whitespace collapsed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/?(a|span|code|strong|em|mark|kbd)\b[^>]*>/gi, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Asserts-friendly: true when every needle occurs in `text`, each after the previous one. */
export function inOrder(text: string, needles: string[]): boolean {
  let at = 0;
  for (const needle of needles) {
    const found = text.indexOf(needle, at);
    if (found < 0) return false;
    at = found + needle.length;
  }
  return true;
}
