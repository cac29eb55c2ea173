/** The shared feed corpus (../shared/corpus): rss-parser's and feedparser's test fixtures. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** Every fixture, as a '/'-separated path under CORPUS, sorted; licences and readmes left out. */
export function corpusFiles(dir = CORPUS): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return corpusFiles(path);
    return /^(LICENSE|README)/i.test(name) ? [] : [relative(CORPUS, path).split('\\').join('/')];
  });
}
