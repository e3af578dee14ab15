/**
 * Why a URL was not fetched, in words a person can act on: `reason` says what was refused and
 * why, `hint` says what to do (usually which option lifts it).
 */
export interface Refusal {
  reason: string;
  hint: string;
}

/** The command-line flag that sets a crawl option: `allowPrivate` → `--allow-private`. */
export function flagFor(option: string): string {
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
