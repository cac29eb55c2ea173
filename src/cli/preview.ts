/**
 * `alita-news preview <feed URL or file> [more…] [--json]` (or `npm run -s preview -- …`): shows what the bot would do with
 * each item of each feed right now, without reading or writing the store.
 */
import { existsSync } from 'node:fs';
import { DEFAULT_FEEDS_PATH, readDefaultFeeds, sameFeed } from '../bot/create-context.ts';
import { analyzeDocument } from '../engine/analyze.ts';
import { describeError } from '../engine/errors.ts';
import { fetchFeed } from '../engine/fetch.ts';
import { formatAnnouncement } from '../engine/format.ts';
import { loadTopic } from '../engine/topic.ts';
import { loadPeople } from '../engine/quotes/people.ts';
import { quoteExtractor, type QuoteExtractor } from '../engine/quotes/extract.ts';
import { ConfigError, loadEngineConfig } from '../config.ts';
import { previewFeed, type PreviewLine } from './preview-lines.ts';

const USAGE = 'usage: alita-news preview <feed URL or file> [more feeds…] [--json] [--about-alita]';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  // --about-alita: judge the given feeds as declared about Alita, as data/feeds.json's flag does.
  const declared = argv.includes('--about-alita');
  const feeds = argv.filter((arg) => arg !== '--json' && arg !== '--about-alita');
  if (feeds.length === 0 || feeds.some((arg) => arg === '--help' || arg === '-h')) {
    process.stderr.write(`${USAGE}\n`);
    return feeds.length === 0 ? 1 : 0;
  }
  const unknown = feeds.find((arg) => arg.startsWith('--'));
  if (unknown) {
    process.stderr.write(`unknown option ${unknown}\n${USAGE}\n`);
    return 1;
  }
  let config;
  let topic;
  let flagged: Set<string>;
  let quotes: QuoteExtractor;
  try {
    config = loadEngineConfig();
    topic = loadTopic();
    quotes = quoteExtractor(loadPeople());
    flagged = operatorAboutAlita();
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : describeError(error)}\n`);
    return 1;
  }
  const deps = {
    fetch: (feed: string) => fetchFeed(feed, { timeoutMs: config.FETCH_TIMEOUT_MS, maxBytes: config.FETCH_MAX_BYTES }),
    analyze: analyzeDocument,
    format: formatAnnouncement,
    topic,
    now: () => new Date(),
    aboutAlita: (feed: string) => declared || flagged.has(sameFeed(feed)),
    quotes,
  };
  let failed = false;
  // Fetch all feeds at once, print them in the order given.
  const results = feeds.map((feed) => previewFeed(feed, deps));
  for (const [i, pending] of results.entries()) {
    const outcome = await pending;
    if ('error' in outcome) {
      failed = true;
      process.stderr.write(`${feeds[i]}: ${outcome.error}\n`);
      continue;
    }
    process.stdout.write(json ? outcome.lines.map((line) => `${JSON.stringify(line)}\n`).join('') : human(feeds[i]!, outcome.lines));
  }
  return failed ? 1 : 0;
}

/** The operator's feeds flagged about Alita in data/feeds.json (none when it is missing: preview needs no bot setup). */
function operatorAboutAlita(): Set<string> {
  if (!existsSync(DEFAULT_FEEDS_PATH)) return new Set();
  return new Set(readDefaultFeeds().filter((feed) => feed.aboutAlita).map((feed) => sameFeed(feed.url)));
}

function human(feed: string, lines: PreviewLine[]): string {
  const onTopic = lines.filter((line) => line.relevant).length;
  const out = [`${feed}: ${lines.length} item${lines.length === 1 ? '' : 's'}, ${onTopic} on topic`];
  const about = lines.find((line) => line.aboutAlita)?.aboutAlita;
  if (about) out.push(`  taken as a feed about Alita (${about}): its items need only be about the sequel`);
  for (const line of lines) {
    out.push(`  ${line.relevant ? '✓' : '✗'} ${line.title || '(untitled)'}`);
    out.push(`      ${line.reasons.join('; ')}`);
    if (line.link) out.push(`      ${line.link}`);
    for (const quote of line.quotes) out.push(`      quote: “${quote.text}” — ${quote.speaker}`);
  }
  return `${out.join('\n')}\n\n`;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`preview: ${describeError(error)}\n`);
    process.exitCode = 1;
  },
);
