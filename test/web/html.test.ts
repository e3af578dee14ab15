import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, joinHtml, raw } from '../../src/web/html.js';
import { snippetHtml } from '../../src/web/snippet-html.js';

test('escapeHtml escapes the five HTML-significant characters', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});

test('html escapes every interpolated value, in text and in attributes', () => {
  const evil = `"><script>alert(1)</script>`;
  const out = html`<p title="${evil}">${evil}</p>`.value;
  assert.equal(out, '<p title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  assert.ok(!out.includes('<script>'));
});

test('html passes nested templates and raw() through, and escapes arrays item by item', () => {
  const items = ['<b>', html`<i>${'&'}</i>`];
  assert.equal(html`<div>${items}${raw('<hr>')}</div>`.value, '<div>&lt;b&gt;<i>&amp;</i><hr></div>');
});

test('html renders nothing for null, undefined and booleans, and numbers as text', () => {
  assert.equal(html`[${null}${undefined}${false}${true}${0}${42}]`.value, '[042]');
});

test('joinHtml escapes its separator as well as its parts', () => {
  assert.equal(joinHtml(['a', html`<b>b</b>`], ' < ').value, 'a &lt; <b>b</b>');
});

test('snippetHtml marks the highlighted ranges and escapes the rest', () => {
  const out = snippetHtml({ text: '<img> Lambda function & more', highlights: [[6, 12], [13, 21]] }).value;
  assert.equal(out, '&lt;img&gt; <mark>Lambda</mark> <mark>function</mark> &amp; more');
});

test('snippetHtml ignores overlapping or out-of-range highlights instead of garbling text', () => {
  const out = snippetHtml({ text: 'abc def', highlights: [[0, 3], [1, 2], [5, 99]] }).value;
  assert.equal(out, '<mark>abc</mark> def');
});

test('snippetHtml drops Markdown heading markers between highlights', () => {
  const out = snippetHtml({ text: '##### Lambda Functions The auto scale', highlights: [[6, 12]] }).value;
  assert.equal(out, ' <mark>Lambda</mark> Functions The auto scale');
});
