/**
 * A folder's reading order: when a folder of documents is added, each collection of two or more
 * documents gets its navigation (`DocumentNavigation`: position and the sections above). The order
 * is the MkDocs `nav:` where the folder or its parent has an mkdocs.yml (the home page first, pages
 * it leaves out last), else the folder tree, depth-first, with a folder's index or README first and
 * names in natural order ("2-redis" before "10-x"). The trail is the nav's section titles, else the
 * folder names.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { DocumentNavigation } from '../../library/model.js';
import { parseMkDocsNav, type NavPage } from './mkdocs-nav.js';

interface Placed {
  /** Folder names from the added folder down to the file. */
  folders: string[];
  name: string;
  /** Folders then name: what the tree order compares. */
  parts: string[];
}

/** Natural order ("page-2" before "page-10"), made once: sorting a big folder compares names millions of times. */
const NATURAL = new Intl.Collator('en', { numeric: true });

const INDEX_NAME = /^(index|readme)\.[^.]+$/i;
const MKDOCS_FILES = ['mkdocs.yml', 'mkdocs.yaml'];

/**
 * The navigation of each file under `root`, by absolute path; files alone in their collection get
 * none. `collectionOf` names the collection a file is filed in (files of one collection share it).
 */
export function folderNavigation(root: string, files: readonly string[], collectionOf: (file: string) => string): Map<string, DocumentNavigation> {
  const nav = navPagesFor(root);
  const placed = new Map(files.map((file) => {
    const parts = path.relative(root, file).split(path.sep);
    return [file, { folders: parts.slice(0, -1), name: parts.at(-1)!, parts }] as const;
  }));
  const byTree = [...files].sort((a, b) => compareInTree(placed.get(a)!, placed.get(b)!));
  const rank = new Map(byTree.map((file, i) => [file, (nav?.size ?? 0) + i]));
  for (const [file, page] of nav ?? []) if (rank.has(file)) rank.set(file, page.rank);
  // The home page leads even where the nav leaves it out (MkDocs' `not_in_nav: /index.md`).
  const home = byTree.find((file) => placed.get(file)!.folders.length === 0 && INDEX_NAME.test(placed.get(file)!.name));
  if (home && !nav?.has(home)) rank.set(home, -1);

  const groups = new Map<string, string[]>();
  for (const file of files) {
    const key = collectionOf(file);
    const members = groups.get(key);
    if (members) members.push(file);
    else groups.set(key, [file]);
  }
  const result = new Map<string, DocumentNavigation>();
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const common = commonFolders(members.map((file) => placed.get(file)!.folders));
    members.sort((a, b) => rank.get(a)! - rank.get(b)!);
    for (const [order, file] of members.entries()) {
      const trail = nav?.get(file)?.trail ?? placed.get(file)!.folders.slice(common);
      result.set(file, { order, trail });
    }
  }
  return result;
}

/** Nav pages by absolute path with their position, from the folder's or its parent's mkdocs.yml. */
function navPagesFor(root: string): Map<string, NavPage & { rank: number }> | undefined {
  for (const folder of [root, path.dirname(root)]) {
    const config = MKDOCS_FILES.map((name) => path.join(folder, name)).find((file) => fs.existsSync(file));
    if (!config) continue;
    const nav = parseMkDocsNav(fs.readFileSync(config, 'utf8'));
    if (!nav) return undefined;
    const docs = path.resolve(folder, nav.docsDir);
    const pages = new Map<string, NavPage & { rank: number }>();
    for (const page of nav.pages) {
      const file = path.resolve(docs, ...page.file.split('/'));
      if (!pages.has(file)) pages.set(file, { ...page, rank: pages.size });
    }
    return pages;
  }
  return undefined;
}

/** Depth-first: at the first folder level where two files part, an index file leads, then names in natural order. */
function compareInTree(a: Placed, b: Placed): number {
  const aParts = a.parts;
  const bParts = b.parts;
  for (let i = 0; i < Math.min(aParts.length, bParts.length); i++) {
    if (aParts[i] === bParts[i]) continue;
    const aIndex = i === aParts.length - 1 && INDEX_NAME.test(aParts[i]!);
    const bIndex = i === bParts.length - 1 && INDEX_NAME.test(bParts[i]!);
    if (aIndex !== bIndex) return aIndex ? -1 : 1;
    return NATURAL.compare(aParts[i]!, bParts[i]!) || (aParts[i]! < bParts[i]! ? -1 : 1);
  }
  return aParts.length - bParts.length;
}

/** How many leading folders every member shares. */
function commonFolders(folderLists: string[][]): number {
  const first = folderLists[0] ?? [];
  let shared = first.length;
  for (const folders of folderLists) {
    let i = 0;
    while (i < shared && folders[i] === first[i]) i++;
    shared = i;
  }
  return shared;
}
