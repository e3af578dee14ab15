import { flagFor, type Refusal } from './refusal.js';
import type { ExchangeError } from './http-exchange.js';

/** Why a URL could not be fetched, with what to do about it. */
export type FailureCode =
  | 'http-status'
  | 'gone'
  | 'blocked-address'
  | 'refused'
  | 'too-many-redirects'
  | 'redirect-loop'
  | 'timeout'
  | 'too-large'
  | 'network'
  | 'dns'
  | 'bad-encoding'
  | 'retry-after-too-long'
  | 'cancelled';

export interface FetchFailure {
  code: FailureCode;
  /** The HTTP status, when the server answered. */
  status?: number;
  message: string;
  hint: string;
}

export function failureFromRefusal(code: 'blocked-address' | 'refused', refusal: Refusal): FetchFailure {
  return { code, message: refusal.reason, hint: refusal.hint };
}

export function failureForStatus(status: number, attempts: number): FetchFailure {
  const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
  if (status === 404 || status === 410) {
    return { code: 'gone', status, message: `the page does not exist (HTTP ${status})`, hint: 'Check the link, or the URL you gave' };
  }
  if (status === 401 || status === 403 || status === 407) {
    return {
      code: 'http-status',
      status,
      message: `the server refused access (HTTP ${status})`,
      hint: 'McDewey fetches public pages only: download the document in a browser and add the file instead',
    };
  }
  if (status === 429) {
    return {
      code: 'http-status',
      status,
      message: `the server kept asking us to slow down (HTTP 429${tries})`,
      hint: `Try again later, or lower ${flagFor('concurrency')} and ${flagFor('maxRequestsPerSecond')}`,
    };
  }
  if (status >= 500) {
    return { code: 'http-status', status, message: `the server failed (HTTP ${status}${tries})`, hint: 'Try again later' };
  }
  return { code: 'http-status', status, message: `the server answered HTTP ${status}`, hint: 'Check the URL in a browser' };
}

export function failureForExchange(error: ExchangeError, attempts: number): FetchFailure {
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  switch (error.kind) {
    case 'header-timeout':
      return { code: 'timeout', message: `${error.message}${tries}`, hint: `Try again later, or raise ${flagFor('headerTimeoutMs')}` };
    case 'response-timeout':
      return { code: 'timeout', message: `${error.message}${tries}`, hint: `Try again later, or raise ${flagFor('responseTimeoutMs')}` };
    case 'too-large':
      return { code: 'too-large', message: error.message, hint: `Raise ${flagFor('maxBytes')}, or download the file and add it` };
    case 'blocked':
      return { code: 'blocked-address', message: error.refusal?.reason ?? error.message, hint: error.refusal?.hint ?? '' };
    case 'aborted':
      return { code: 'cancelled', message: 'cancelled', hint: 'Resume the crawl from its saved state' };
    case 'bad-encoding':
      return { code: 'bad-encoding', message: error.message, hint: 'Download the document in a browser and add the file instead' };
    case 'network':
      if (error.code === 'ENOTFOUND' || error.code === 'EAI_NONAME') {
        return { code: 'dns', message: `the host name does not resolve (${error.code})`, hint: 'Check the spelling of the host, and this machine\'s network' };
      }
      return { code: 'network', message: `could not talk to the server: ${error.message}${tries}`, hint: 'Check the URL and this machine\'s network, or try again later' };
  }
}
