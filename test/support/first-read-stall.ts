/**
 * Run as its own process (`node --import tsx first-read-stall.ts <data> <docId> <start>`), as a
 * server would be: opens the library, then reads a window of page 1 of a document the way a
 * reading route does, and prints as JSON how long the event loop was held at once meanwhile (the
 * longest gap between turns of a 5 ms timer) and how many turns it got. Its own process, so the test's heap (the huge document it wrote) adds
 * no collection pauses to the measure.
 */
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config/config.js';
import { Library } from '../../src/service/library.js';

const [data, docId, start] = process.argv.slice(2) as [string, string, string];
const library = await Library.open(loadConfig({ data, embedder: 'none' }, {}), 'read');
try {
  // The longest gap between two turns of a 5 ms timer: how long the event loop was held at once.
  let turns = 0;
  let last = performance.now();
  let longestStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
    turns++;
  }, 5);
  const began = performance.now();
  await library.readyToRead(docId);
  const view = library.page(docId, 1, { start: Number(start) });
  const tookMs = performance.now() - began;
  await new Promise((resolve) => setTimeout(resolve, 20)); // the last turn is measured too
  clearInterval(ticker);
  console.log(JSON.stringify({ longestStallMs, tookMs, turns, chars: view.text.total, head: view.page.markdown.slice(0, 200), length: view.page.markdown.length }));
} finally {
  await library.close();
}
