import type { SearchHit, Snippet } from '../service/library.js';
import type { LibraryTree } from '../service/tree.js';
import { terminalLine as t } from './terminal-text.js';

/** Plain-text renderings for the terminal. Colour only when stdout is a terminal. */
const useColor = () => Boolean(process.stdout.isTTY) && !process.env['NO_COLOR'];
const bold = (s: string) => (useColor() ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string) => (useColor() ? `\x1b[2m${s}\x1b[22m` : s);

export function highlight(snippet: Snippet): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    out += t(snippet.text.slice(at, start)) + (useColor() ? bold(t(snippet.text.slice(start, end))) : `[${t(snippet.text.slice(start, end))}]`);
    at = end;
  }
  return out + t(snippet.text.slice(at));
}

export function pageText(page: number, label?: string): string {
  return label !== undefined && label !== String(page) ? `page ${page} (printed ${t(label)})` : `page ${page}`;
}

export function renderHit(hit: SearchHit): string {
  const lines = [
    `${bold(`${hit.rank}. ${t(hit.title)}`)} ${dim(`— ${t(hit.vendorLabel)} / ${t(hit.productLabel)} / ${t(hit.versionLabel)}, ${pageText(hit.page, hit.pageLabel)}${hit.match === 'strong' ? '' : ` · ${hit.match} match`}`)}`,
    `   ${dim(hit.chunkId)}  ${dim(hit.sourcePath)}`,
  ];
  if (hit.headingPath.length > 0) lines.push(`   § ${hit.headingPath.map(t).join(' › ')}`);
  lines.push(`   ${highlight(hit.snippet)}`);
  if (hit.alsoIn.length > 0) lines.push(`   ${dim(`also in ${hit.alsoIn.map((a) => `${t(a.versionLabel)} (p. ${a.page})`).join(', ')}${hit.alsoInMore ? ` and ${hit.alsoInMore} more` : ''}`)}`);
  return lines.join('\n');
}

export function renderTree(tree: LibraryTree): string {
  if (tree.documents === 0) return 'The library is empty. Add documents with: mcdewey add <file|folder> [--vendor V --product P --version X]';
  const lines: string[] = [];
  for (const vendor of tree.vendors) {
    lines.push(`${bold(t(vendor.label))}  ${dim(`${vendor.pages} pages, ${vendor.chunks} chunks`)}`);
    for (const product of vendor.products) {
      lines.push(`  ${t(product.label)} ${dim(`(${product.product})`)}`);
      for (const version of product.versions) {
        const docs = version.documents.length;
        lines.push(`    ${t(version.label)}${version.latest ? ' (latest)' : ''}  ${dim(`${docs} document${docs === 1 ? '' : 's'}, ${version.pages} pages, ${version.chunks} chunks`)}`);
        for (const d of version.documents.slice(0, 12)) lines.push(`      ${t(d.title)} ${dim(`${d.docId} · ${d.pages} p.`)}`);
        if (docs > 12) lines.push(dim(`      … ${docs - 12} more`));
      }
    }
  }
  lines.push('', `${tree.documents} documents, ${tree.pages} pages, ${tree.chunks} chunks`);
  return lines.join('\n');
}
