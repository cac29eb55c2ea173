/**
 * Living story messages end to end: the real bot and discord.js client against the fake Discord.
 * A story told in #news that arrives again through another outlet's feed is not posted again:
 * its message is edited to name that outlet ("Also reported by"), once per outlet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { rss, type TestItem } from '../support/feeds.ts';
import { startHttpServer, type TestServer } from '../support/http-server.ts';

let h: BotHarness | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await h?.close();
  await server?.close();
  h = undefined;
  server = undefined;
});

/** The same story as sequel(n) through another outlet: same title and date, another link. */
const elsewhere = (n: number, site: string) => sequel(n, { link: `https://${site}/stories/alita-2-${n}` });

describe('living story messages', () => {
  it('edits the story\'s message to add each other outlet, and never posts it again', async () => {
    const feeds: Record<string, { title: string; items: TestItem[] }> = {
      '/news.xml': { title: 'Alita News', items: [] },
      '/wire.xml': { title: 'Film Wire', items: [] },
      '/daily.xml': { title: 'Cinema Daily', items: [] },
    };
    server = await startHttpServer((req, res) => {
      const feed = feeds[req.url ?? ''];
      if (!feed) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss(feed.items, feed.title));
    });
    const url = (path: string) => `${server!.url}${path}`;
    h = await startBotHarness({ env: () => ({ FEEDS: Object.keys(feeds).map(url).join(',') }) });

    feeds['/news.xml']!.items = [sequel(1)];
    await h.cycle();
    const [message] = h.fake.messages(h.newsId);
    expect(h.titles()).toEqual(['Alita 2 news number 1']);

    feeds['/wire.xml']!.items = [elsewhere(1, 'filmwire.example')];
    await h.cycle();
    await h.cycle();
    expect(h.fake.messages(h.newsId)).toHaveLength(1);
    expect(h.fake.editCount(message!.id)).toBe(1);
    const field = () => (h!.fake.message(h!.newsId, message!.id)!.embeds as Array<{ fields?: Array<{ name: string; value: string }> }>)[0]!.fields?.[0];
    expect(field()).toMatchObject({ name: 'Also reported by', value: '[Film Wire](https://filmwire.example/stories/alita-2-1)' });

    feeds['/daily.xml']!.items = [elsewhere(1, 'cinemadaily.example')];
    await h.cycle();
    expect(h.fake.messages(h.newsId)).toHaveLength(1);
    expect(h.fake.editCount(message!.id)).toBe(2);
    expect(field()!.value).toBe('[Film Wire](https://filmwire.example/stories/alita-2-1) · [Cinema Daily](https://cinemadaily.example/stories/alita-2-1)');
    expect(h.fake.rejected).toEqual([]);
  });

  it('edits the message when the publisher changes the story, at most 3 times, never posting again', async () => {
    h = await startBotHarness();
    h.setFeed([sequel(1)]);
    await h.cycle();
    const [message] = h.fake.messages(h.newsId);
    const title = () => (h!.fake.message(h!.newsId, message!.id)!.embeds as Array<{ title: string }>)[0]!.title;

    h.setFeed([sequel(1, { title: 'Alita 2 news number 1 (updated)' })]);
    await h.cycle();
    await h.cycle();
    expect(title()).toBe('Alita 2 news number 1 \\(updated\\)');
    expect(h.fake.editCount(message!.id)).toBe(1);

    for (const n of [2, 3, 4]) {
      h.setFeed([sequel(1, { title: `Alita 2 news number 1 (update ${n})` })]);
      await h.cycle();
    }
    expect(h.fake.editCount(message!.id)).toBe(3);
    expect(title()).toBe('Alita 2 news number 1 \\(update 3\\)');
    expect(h.fake.messages(h.newsId)).toHaveLength(1);
    expect(h.fake.rejected).toEqual([]);
  });
});
