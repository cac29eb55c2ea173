/** data/feeds.json: plain URLs, or entries declaring a feed about Alita, checked at start with one clear line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createBotContext, readDefaultFeeds } from '../src/bot/create-context.ts';
import { loadBotConfig } from '../src/config.ts';
import { silentLogger } from '../src/log.ts';
import { openStores } from '../src/store/sql/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'alita-feeds-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(content: unknown): string {
  const path = join(dir, `feeds-${n++}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('data/feeds.json', () => {
  it('reads plain URLs and { url, aboutAlita } entries side by side', () => {
    const path = file({ feeds: ['https://news.example/rss', { url: 'https://fans.example/feed', aboutAlita: true }, { url: 'https://other.example/feed' }] });
    expect(readDefaultFeeds(path)).toEqual([{ url: 'https://news.example/rss' }, { url: 'https://fans.example/feed', aboutAlita: true }, { url: 'https://other.example/feed' }]);
  });

  it('is valid as shipped, the subreddit declared about Alita', () => {
    expect(readDefaultFeeds()).toContainEqual({ url: 'https://www.reddit.com/r/alitabattleangel/.rss', aboutAlita: true });
  });

  it.each([
    [{ feeds: 'https://news.example/rss' }, '"feeds" must be a list, each a feed URL or { "url": "…", "aboutAlita": true }'],
    [{ feeds: [42] }, 'feeds[0] must be a feed URL or { "url": "…", "aboutAlita": true }'],
    [{ feeds: [{ aboutAlita: true }] }, 'feeds[0]: "url" must be a feed URL'],
    [{ feeds: ['https://a.example', { url: 'https://b.example', aboutAlita: 'yes' }] }, 'feeds[1]: "aboutAlita" must be true or false'],
    [{ feeds: [{ url: 'https://b.example', about: true }] }, 'feeds[0]: unknown key "about" (an entry has "url" and "aboutAlita")'],
    ['{ "feeds": [', 'cannot read the feed list'],
  ])('refuses %j with one line naming the file and the entry', (content, message) => {
    const path = file(content);
    let error: Error | undefined;
    try {
      readDefaultFeeds(path);
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.message.startsWith(`${path}: `)).toBe(true);
    expect(error?.message).toContain(message);
    expect(error?.message).not.toContain('\n');
  });

  it('carries the flag to the poll: the feed is polled as about Alita', async () => {
    const url = `sqlite://${join(dir, 'bot.sqlite')}`;
    const stores = await openStores(url, silentLogger);
    try {
      const config = loadBotConfig({ DATABASE_URL: url });
      const ctx = createBotContext({ config, stores, logger: silentLogger, defaultFeeds: ['https://news.example/rss', { url: 'https://fans.example/feed', aboutAlita: true }] });
      expect(await ctx.feeds()).toEqual([
        { url: 'https://news.example/rss', operator: true, guilds: [] },
        { url: 'https://fans.example/feed', operator: true, guilds: [], aboutAlita: true },
      ]);
    } finally {
      await stores.close();
    }
  });
});
