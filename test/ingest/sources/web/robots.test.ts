import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseRobots, RobotsRules } from '../../../../src/ingest/sources/web/robots.js';

const rulesFor = (text: string, agent = 'McDewey'): RobotsRules => new RobotsRules(parseRobots(text), agent);

describe('robots.txt', () => {
  it('picks the group naming our product token over *, case-insensitively, merging repeated groups', () => {
    const text = [
      'User-agent: *',
      'Disallow: /',
      '',
      'User-agent: mcdewey/2.0',
      'Disallow: /private/',
      'User-agent: OtherBot',
      'Disallow: /other/',
      '',
      'user-agent: MCDEWEY',
      'disallow: /drafts/',
    ].join('\n');
    const rules = rulesFor(text);
    assert.equal(rules.verdict('/docs/a.html').allowed, true);
    assert.equal(rules.verdict('/private/x').allowed, false);
    assert.equal(rules.verdict('/other/x').allowed, true, 'a user-agent line after rules starts a new group');
    assert.equal(rules.verdict('/drafts/x').allowed, false);
    assert.equal(rulesFor(text, 'SomeoneElse').verdict('/docs/a.html').allowed, false, 'others fall back to *');
    const shared = rulesFor(['User-agent: OtherBot', 'User-agent: McDewey', 'Disallow: /shared/'].join('\n'));
    assert.equal(shared.verdict('/shared/x').allowed, false, 'consecutive user-agent lines share one group');
  });

  it('lets the longest match decide, with Allow winning a tie', () => {
    const rules = rulesFor(['User-agent: *', 'Disallow: /docs/', 'Allow: /docs/public/', 'Disallow: /docs/public/secret', 'Allow: /page', 'Disallow: /page'].join('\n'));
    assert.equal(rules.verdict('/docs/x.html').allowed, false);
    assert.equal(rules.verdict('/docs/public/x.html').allowed, true);
    assert.equal(rules.verdict('/docs/public/secret.html').allowed, false);
    assert.equal(rules.verdict('/page').allowed, true);
    const verdict = rules.verdict('/docs/x.html');
    assert.deepEqual(verdict.rule, { allow: false, pattern: '/docs/', line: 2 });
  });

  it('supports * wildcards and the $ end anchor, on path and query', () => {
    const rules = rulesFor(['User-agent: *', 'Disallow: /*.pdf$', 'Disallow: /*?print=', 'Disallow: /tmp*/x'].join('\n'));
    assert.equal(rules.verdict('/a/manual.pdf').allowed, false);
    assert.equal(rules.verdict('/a/manual.pdf?v=2').allowed, true);
    assert.equal(rules.verdict('/a/page.html?print=1').allowed, false);
    assert.equal(rules.verdict('/tmp123/x').allowed, false);
    assert.equal(rules.verdict('/tmp123/y').allowed, true);
  });

  it('compares percent-encoded patterns with normalized paths', () => {
    const rules = rulesFor(['User-agent: *', 'Disallow: /%7Eadmin/', 'Disallow: /café/'].join('\n'));
    assert.equal(rules.verdict('/~admin/x').allowed, false);
    assert.equal(rules.verdict(new URL('https://e.com/café/menu').pathname).allowed, false);
  });

  it('treats an empty Disallow as allowing everything, ignores comments and rules outside groups', () => {
    const rules = rulesFor(['Disallow: /orphan', 'User-agent: * # everyone', 'Disallow:', '# Disallow: /commented'].join('\r\n'));
    assert.equal(rules.verdict('/orphan').allowed, true);
    assert.equal(rules.verdict('/commented').allowed, true);
  });

  it('always allows /robots.txt itself', () => {
    assert.equal(rulesFor('User-agent: *\nDisallow: /').verdict('/robots.txt').allowed, true);
    assert.equal(RobotsRules.disallowAll().verdict('/x').allowed, false);
    assert.equal(RobotsRules.allowAll().verdict('/x').allowed, true);
  });

  it('reads Crawl-delay of the chosen group and every Sitemap line', () => {
    const file = parseRobots(['Sitemap: https://e.com/s1.xml', 'User-agent: *', 'Crawl-delay: 2.5', 'User-agent: McDewey', 'Crawl-delay: 7', 'Sitemap: https://e.com/s2.xml.gz'].join('\n'));
    assert.deepEqual(file.sitemaps, ['https://e.com/s1.xml', 'https://e.com/s2.xml.gz']);
    assert.equal(new RobotsRules(file, 'McDewey').crawlDelaySeconds, 7);
    assert.equal(new RobotsRules(file, 'Bot').crawlDelaySeconds, 2.5);
    const separate = parseRobots(['User-agent: *', 'Crawl-delay: 2.5', '', 'User-agent: McDewey', 'Disallow: /x'].join('\n'));
    assert.equal(new RobotsRules(separate, 'McDewey').crawlDelaySeconds, undefined);
    assert.equal(new RobotsRules(separate, 'Bot').crawlDelaySeconds, 2.5);
  });
});
