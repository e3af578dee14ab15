import { normalizeEscapes } from './url-normalize.js';

/**
 * robots.txt as RFC 9309 defines it: groups of user-agent lines with Allow/Disallow rules;
 * the group naming our product token wins over `*`; the longest matching rule decides and Allow
 * wins a tie; `*` matches any run of characters and a final `$` anchors the end. Crawl-delay
 * (not in the RFC, but widely used) and Sitemap lines are read too.
 */
export interface RobotsRule {
  allow: boolean;
  pattern: string;
  /** 1-based line in robots.txt, for messages. */
  line: number;
}

interface Group {
  agents: string[];
  rules: RobotsRule[];
  crawlDelaySeconds?: number;
}

export interface RobotsFile {
  groups: Group[];
  sitemaps: string[];
}

export interface RobotsVerdict {
  allowed: boolean;
  /** The deciding rule; none when nothing matched (allowed). */
  rule?: RobotsRule;
}

export function parseRobots(text: string): RobotsFile {
  const groups: Group[] = [];
  const sitemaps: string[] = [];
  let current: Group | undefined;
  let lastWasAgent = false;
  text.split(/\r\n|\r|\n/).forEach((rawLine, index) => {
    const line = rawLine.replace(/#.*/, '').trim();
    const colon = line.indexOf(':');
    if (colon < 0) return;
    const field = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (field === 'sitemap') {
      if (value) sitemaps.push(value);
      return;
    }
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      return;
    }
    lastWasAgent = false;
    if (!current) return; // rules before any user-agent line belong to no group
    if (field === 'allow' || field === 'disallow') {
      // An empty Disallow allows everything, which is what having no rule means.
      if (value) current.rules.push({ allow: field === 'allow', pattern: encodePattern(value), line: index + 1 });
    } else if (field === 'crawl-delay') {
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) current.crawlDelaySeconds = seconds;
    }
  });
  return { groups, sitemaps };
}

/** The rules that apply to `agentToken`: all groups naming it, else all `*` groups, else none. */
export class RobotsRules {
  private readonly rules: Array<RobotsRule & { regex: RegExp; length: number }>;
  readonly crawlDelaySeconds?: number;

  constructor(file: RobotsFile, agentToken: string) {
    const token = agentToken.toLowerCase();
    const named = file.groups.filter((g) => g.agents.some((a) => productToken(a) === token));
    const chosen = named.length > 0 ? named : file.groups.filter((g) => g.agents.includes('*'));
    this.rules = chosen.flatMap((g) => g.rules).map((rule) => ({ ...rule, regex: patternRegex(rule.pattern), length: rule.pattern.length }));
    const delays = chosen.map((g) => g.crawlDelaySeconds).filter((d): d is number => d !== undefined);
    if (delays.length > 0) this.crawlDelaySeconds = Math.max(...delays);
  }

  static allowAll(): RobotsRules {
    return new RobotsRules({ groups: [], sitemaps: [] }, '*');
  }

  static disallowAll(): RobotsRules {
    return new RobotsRules({ groups: [{ agents: ['*'], rules: [{ allow: false, pattern: '/', line: 0 }] }], sitemaps: [] }, '*');
  }

  /** `pathAndQuery` as the URL has it (percent-encoded), e.g. `/docs/a.html?x=1`. */
  verdict(pathAndQuery: string): RobotsVerdict {
    if (pathAndQuery === '/robots.txt') return { allowed: true };
    let best: (RobotsRule & { length: number }) | undefined;
    for (const rule of this.rules) {
      if (!rule.regex.test(pathAndQuery)) continue;
      if (!best || rule.length > best.length || (rule.length === best.length && rule.allow && !best.allow)) best = rule;
    }
    if (!best) return { allowed: true };
    return { allowed: best.allow, rule: { allow: best.allow, pattern: best.pattern, line: best.line } };
  }
}

/** `McDewey/1.0` → `mcdewey`: a user-agent line names a product token, maybe with a version. */
function productToken(agent: string): string {
  return agent.split(/[\s/]/)[0] ?? '';
}

/**
 * Spells a pattern the way normalized URLs are spelled (non-ASCII percent-encoded, escapes upper
 * case, unreserved characters decoded), so patterns and paths compare octet for octet.
 */
function encodePattern(pattern: string): string {
  return normalizeEscapes(pattern.replace(/[^\x21-\x7e]/gu, (char) => encodeURIComponent(char)));
}

function patternRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}
