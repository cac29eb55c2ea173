/**
 * Walks every feed of ../shared/corpus through the whole pure pipeline. Each file must either give
 * items whose Discord messages are valid and inert, or fail with a typed FeedError; nothing may
 * crash, hang, leak markup or mentions, or come out in the wrong charset.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeFeedBytes } from '../src/engine/charset.ts';
import { FeedError } from '../src/engine/errors.ts';
import { formatAnnouncement } from '../src/engine/format.ts';
import { normalizeFeed } from '../src/engine/normalize.ts';
import { parseFeed } from '../src/engine/parse.ts';
import { judge } from '../src/engine/relevance.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { CORPUS, corpusFiles } from './support/corpus.ts';
import { validateMessageBody } from './support/discord-schema.ts';

const NOW = new Date('2024-06-01T12:00:00Z');
const topic = loadTopic();

const FILES = corpusFiles();

/**
 * Files that fail for a known engine reason. Each is excluded from the walk's checks and gets its
 * own `it.fails` below, so fixing the engine turns that case red and this list must shrink.
 */
const KNOWN_FAILURES: Record<string, string> = {};
/** Legacy multi-byte feeds that declare no charset at all: decoded as windows-1252, i.e. mojibake. */
const UNDECLARED_CHARSETS: Record<string, string> = {
  'feedparser/illformed/chardet/eucjp.xml': 'euc-jp',
  'feedparser/illformed/chardet/euckr.xml': 'euc-kr',
  'feedparser/illformed/chardet/gb2312.xml': 'gbk',
  'feedparser/illformed/chardet/koi8r.xml': 'koi8-r',
  'feedparser/illformed/chardet/shiftjis.xml': 'shift_jis',
  'feedparser/illformed/chardet/tis620.xml': 'windows-874',
  'feedparser/illformed/chardet/windows1255.xml': 'windows-1255',
};
/** Well-formed files that are rightly refused: they are not RSS or Atom as we read them. */
const EXPECTED_REFUSALS: Array<[RegExp, string]> = [
  [/^feedparser\/wellformed\/(cdf\/|base\/cdf_)/, 'not-a-feed'], // Microsoft CDF, not RSS/Atom
  [/^feedparser\/wellformed\/namespace\/rss2\.0NSwithModulesNoDefNS/, 'not-a-feed'], // <r:rss>: prefixed root element
  [/^rss-parser\/unrecognized\.rss$/, 'not-a-feed'],
];

// Tag-shaped text, script URLs and inline handlers: none may survive into a message (escaped or not).
const MARKUP = /<\/?[a-z][\w:-]*(\s|\/?>|$)|<!--|<!\[CDATA|<\?|javascript:(?!\s)|vbscript:|\bon[a-z]+\s*=|&(lt|gt|amp|quot|#\d+|#x[\da-f]+);/i;
// U+FFFD, UTF-8 read as Latin-1 ("Ã©"), or C1 controls: the signs of a wrong decode.
const BAD_DECODE = /\uFFFD|Ã[\u0080-\u00bf]|â€|[\u0080-\u009f]/;

interface Outcome { file: string; items?: number; relevant?: number; code?: string; problems: string[]; ms: number }

async function run(file: string): Promise<Outcome> {
  const started = performance.now();
  const problems: string[] = [];
  const outcome = (extra: Partial<Outcome>): Outcome => ({ file, problems, ms: performance.now() - started, ...extra });
  let items;
  try {
    const text = decodeFeedBytes(readFileSync(join(CORPUS, file)));
    items = normalizeFeed(await parseFeed(text), { feed: file, documentUrl: `https://corpus.example/${file}`, now: NOW });
  } catch (error) {
    if (error instanceof FeedError) return outcome({ code: error.code });
    problems.push(`crashed with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    return outcome({});
  }
  let relevant = 0;
  for (const [i, item] of items.entries()) {
    const at = `item ${i}`;
    try {
      if (judge({ title: item.title, summary: item.summary, fullText: item.fullText }, topic).relevant) relevant++;
      const body = formatAnnouncement(item);
      for (const issue of validateMessageBody(body)) problems.push(`${at}: schema ${issue}`);
      if (JSON.stringify(body.allowed_mentions) !== '{"parse":[]}') problems.push(`${at}: allowed_mentions ${JSON.stringify(body.allowed_mentions)}`);
      for (const embed of body.embeds) {
        const texts = { title: embed.title, description: embed.description, footer: embed.footer.text, author: embed.author?.name };
        for (const [field, value] of Object.entries(texts)) {
          if (!value) continue;
          // Discord escaping (\<b\>, \<\u200b/b\>) must not hide a tag from the check.
          if (MARKUP.test(value.replace(/[\\\u200b]/g, ''))) problems.push(`${at}: markup in ${field}: ${JSON.stringify(value.slice(0, 160))}`);
          if (/@(everyone|here)|<@[!&]?\d/.test(value)) problems.push(`${at}: live mention in ${field}`);
          if (!UNDECLARED_CHARSETS[file] && BAD_DECODE.test(value)) problems.push(`${at}: mis-decoded ${field}: ${JSON.stringify(value.slice(0, 80))}`);
        }
        for (const url of [embed.url, embed.image?.url]) {
          if (url !== undefined && !/^https?:\/\/[^/\s]/.test(url)) problems.push(`${at}: non-http url ${url}`);
        }
      }
    } catch (error) {
      problems.push(`${at}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  }
  return outcome({ items: items.length, relevant });
}

const outcomes: Outcome[] = [];
const GROUPS: Array<[string, RegExp]> = [
  ['rss-parser (real feeds)', /^rss-parser\//],
  ['feedparser illformed', /^feedparser\/illformed\//],
  ['feedparser sanitize (attacks)', /^feedparser\/wellformed\/sanitize\//],
  ['feedparser wellformed (the rest)', /^feedparser\/wellformed\/(?!sanitize\/)/],
];

describe('feed corpus', () => {
  it('finds the corpus, and every file belongs to a group', () => {
    expect(FILES.length).toBeGreaterThan(1700);
    expect(FILES.filter((f) => !GROUPS.some(([, re]) => re.test(f)))).toEqual([]);
  });

  for (const [name, pattern] of GROUPS) {
    it(`${name}: every file yields valid, inert messages or a typed FeedError`, { timeout: 300_000 }, async () => {
      const files = FILES.filter((f) => pattern.test(f) && !KNOWN_FAILURES[f]);
      const failures: string[] = [];
      for (const file of files) {
        const result = await run(file);
        outcomes.push(result);
        failures.push(...result.problems.map((p) => `${file}: ${p}`));
        const refusal = EXPECTED_REFUSALS.find(([re]) => re.test(file))?.[1];
        if (result.code && file.includes('/wellformed/') && result.code !== refusal) failures.push(`${file}: well-formed feed failed with ${result.code}`);
        if (file.startsWith('rss-parser/') && result.code && result.code !== refusal) failures.push(`${file}: real feed failed with ${result.code}`);
      }
      expect(failures).toEqual([]);
    });
  }

  it('parses the well-known real feeds with items', async () => {
    const expected: Record<string, number> = {
      'guardian.rss': 55, 'reddit.rss': 24, 'reddit-home.rss': 24, 'reddit-atom.rss': 24, 'heise.atom': 15, 'craigslist.rss': 25,
      'feedburner.atom': 25, 'giantbomb-podcast.rss': 730, 'uolNoticias.rss': 15, 'encoding.rss': 40, 'rss-1.rss': 69, 'many-links.rss': 25,
    };
    for (const [name, count] of Object.entries(expected)) {
      const result = await run(`rss-parser/${name}`);
      expect({ name, items: result.items, problems: result.problems }).toEqual({ name, items: count, problems: [] });
    }
  });

  for (const [file, why] of Object.entries(KNOWN_FAILURES)) {
    it.fails(`KNOWN ENGINE BUG ${file} (${why})`, async () => {
      const result = await run(file);
      expect(result.code).toBeUndefined();
      expect(result.problems).toEqual([]);
    });
  }

  for (const [file, encoding] of Object.entries(UNDECLARED_CHARSETS)) {
    it.fails(`KNOWN LIMITATION ${file}: undeclared ${encoding} is not sniffed`, () => {
      const bytes = readFileSync(join(CORPUS, file));
      const body = new TextDecoder(encoding).decode(bytes).replace(/^[\s\S]*?-->/, '');
      expect(decodeFeedBytes(bytes)).toContain(body.trim().slice(0, 200));
    });
  }

  it('totals: almost every file parses, the rest fail as not-a-feed or malformed-xml', () => {
    const byCode: Record<string, number> = {};
    for (const o of outcomes) if (o.code) byCode[o.code] = (byCode[o.code] ?? 0) + 1;
    const parsed = outcomes.filter((o) => o.items !== undefined);
    const items = parsed.reduce((n, o) => n + (o.items ?? 0), 0);
    const relevant = parsed.reduce((n, o) => n + (o.relevant ?? 0), 0);
    console.log(`corpus: ${outcomes.length} files walked → ${parsed.length} parsed (${items} items, ${relevant} on topic), typed errors ${JSON.stringify(byCode)}; known failures ${Object.keys(KNOWN_FAILURES).length}`);
    expect(outcomes.length).toBe(FILES.length - Object.keys(KNOWN_FAILURES).length);
    expect(parsed.length).toBeGreaterThanOrEqual(1770);
    expect(Object.keys(byCode).sort()).toEqual(['malformed-xml', 'not-a-feed']);
  });
});
