/**
 * Where the bundled data files (topic rule, quotes, default feeds, sample feeds) live. The code
 * runs from src/ under tsx and vitest and from the bundles in dist/ (`npm start`), so the
 * folder is found from the project's package.json rather than a fixed number of `../`.
 */
import { existsSync } from 'node:fs';

function projectRoot(from: URL): URL {
  for (let dir = new URL('./', from); ; dir = new URL('../', dir)) {
    if (existsSync(new URL('package.json', dir))) return dir;
    if (dir.pathname === '/') throw new Error(`no package.json above ${from.href}`);
  }
}

export const DATA_DIR = new URL('data/', projectRoot(new URL(import.meta.url)));

/** A file or folder under data/, e.g. dataFile('topic.json'). */
export function dataFile(name: string): URL {
  return new URL(name, DATA_DIR);
}
