// /quote, /latest and /status through the real bot and the fake Discord, with the largest and
// most markdown-heavy data the bot accepts: Discord must take every reply (the member sees the
// answer, not "Sorry…"), lists end in whole lines with "…and N more", and nothing pings.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import latest from '../../commands/latest.ts';
import { speakers } from '../../commands/quote.ts';
import { LIMITS, quoteFromOptions } from '../../commands/quotes.ts';
import { escapeDiscordText } from '../../src/engine/format.ts';
import type { NewsItem } from '../../src/engine/types.ts';
import type { DeadLetter } from '../../src/store/sql/outbox.ts';
import type { Quote } from '../../src/store/sql/quotes.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { accepted, heavy } from '../support/oversize.ts';

let h: BotHarness;

beforeEach(async () => {
  h = await startBotHarness();
});

afterEach(async () => {
  await h?.close();
});

/** A quote with every field at the most /quotes add accepts. */
function maximalQuote(speaker: string, sourceUrl: string): Quote {
  const options = { speaker, text: heavy(LIMITS.text), source_url: sourceUrl, source_title: heavy(LIMITS.sourceTitle), context: heavy(LIMITS.context), date: '2023-10-04' };
  const built = quoteFromOptions(options, new Date('2024-06-01T00:00:00Z'), '444444444444444444');
  if ('error' in built) throw new Error(built.error);
  return built.quote;
}

const addQuote = async (quote: Quote) => expect(await h.bot.ctx.quotes.add(h.fake.guild.id, quote, 1000)).toBe('added');

describe('oversize public replies', () => {
  it('/quote shows a maximal markdown-heavy quote, linking its source only when the address fits', async () => {
    // new URL() percent-encodes: 480 emoji become 5,760 characters, more than an embed holds.
    const sources = { plain: `https://example.com/${heavy(LIMITS.sourceUrl - 20)}`, encoded: `https://example.com/${'😀'.repeat(480)}` };
    for (const [name, url] of Object.entries(sources)) {
      const speaker = `${name} ${heavy(LIMITS.speaker - name.length - 1)}`;
      await addQuote(maximalQuote(speaker, url));
      const reply = await accepted(h.fake.sendCommand({ name: 'quote', options: { person: speaker } }));
      const description = reply.embeds[0]!.description!;
      expect(reply.embeds[0]!.title).toMatch(new RegExp(`^${name} .* on the Alita sequel$`));
      expect(description).toMatch(/^“.+”\n\n— \*\*.+\*\*, 4 Oct 2023\n\*.+\*\nSource: .+$/su);
      expect(description.includes('](https://example.com/')).toBe(name === 'plain');
    }
  });

  it('/quote person:nobody lists the 27 known speakers by whole names, then how many more', async () => {
    for (let i = 0; i < 25; i++) await addQuote(maximalQuote(`${String(i).padStart(2, '0')} ${heavy(LIMITS.speaker - 3)}`, `https://example.com/${i}`));
    const reply = await accepted(h.fake.sendCommand({ name: 'quote', options: { person: 'nobody' } }));
    const content = reply.content!;
    expect(content).toMatch(/^No known quotes by “nobody”\. Known: .+, …and \d+ more\.$/su);
    const listed = content.slice(content.indexOf('Known: ') + 7, content.lastIndexOf(', …and')).split(', ');
    const known = speakers(await h.bot.ctx.quotes.forGuild(h.fake.guild.id)).map(escapeDiscordText);
    expect(known).toHaveLength(27);
    expect(listed).toEqual(known.slice(0, listed.length));
    expect(content.endsWith(`…and ${known.length - listed.length} more.`)).toBe(true);
  });

  it('/latest count:10 with huge markdown-heavy titles and sources shows whole items, then how many more', async () => {
    const items = Array.from({ length: 10 }, (_, i): NewsItem => ({
      id: `huge-${i}`,
      feed: h.feedUrl,
      source: heavy(1000),
      title: `${i} ${heavy(3000)}`,
      link: `https://news.example.com/${i}/${'a_(b)'.repeat(60)}`,
      summary: '',
      published: new Date(Date.UTC(2024, 5, 1, i)).toISOString(),
    }));
    await h.bot.ctx.news.recordPoll({ feedUrl: h.feedUrl, itemIds: items.map((i) => i.id), scopes: [], titleHashes: [] }, () => ({
      result: undefined,
      archive: items.map((item) => ({ item, sortKey: item.published! })),
    }));
    const reply = await accepted(h.fake.sendCommand({ name: 'latest', options: { count: 10 } }));
    const blocks = reply.embeds[0]!.description!.split('\n\n');
    const shown = blocks.slice(0, -1);
    expect(shown.length).toBeGreaterThan(1);
    // Newest first, each a whole link and its source line.
    shown.forEach((block, k) => expect(block).toMatch(new RegExp(`^\\*\\*${k + 1}\\.\\*\\* \\[${9 - k} .+…\\]\\(https://news\\.example\\.com/${9 - k}/[^)\\s]+\\)\\n.+… · 1 Jun 2024$`, 'su')));
    expect(blocks.at(-1)).toBe(`…and ${10 - shown.length} more`);
  });

  it('/status with 25 failing or paused feeds, long reasons and dead letters shows whole lines, then how many more', async () => {
    const { ctx } = h.bot;
    const now = ctx.clock();
    const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();
    for (let i = 0; i < 25; i++) {
      const url = `https://feeds${i}.example.org/${'x'.repeat(970)}`;
      expect(await ctx.settings.addGuildFeed({ guildId: h.fake.guild.id, url, addedAt: ago(86_400_000) }, 25)).toBe('added');
      const failing = { lastAttempt: ago(60_000), lastSuccess: ago(86_400_000), consecutiveFailures: 9, lastError: heavy(2000) };
      await ctx.news.setFeedState(url, i % 2 ? { ...failing, paused: true, pausedAt: ago(3_600_000), pausedReason: heavy(2000) } : failing);
    }
    const dead = (i: number): DeadLetter => ({
      id: i, key: `c:${i}`, channelId: h.newsId, guildId: h.fake.guild.id, itemId: `${i}`, title: heavy(2000), body: { embeds: [], allowed_mentions: { parse: [] } },
      kind: 'post', state: 'dead', enqueuedAt: ago(0), attempts: 3, failedAt: ago(0), reason: heavy(2000),
    });
    vi.spyOn(ctx.outbox, 'deadLetters').mockResolvedValue(Array.from({ length: 8 }, (_, i) => dead(i)));

    const reply = await accepted(h.fake.sendCommand({ name: 'status' }));
    const lines = reply.embeds[0]!.description!.split('\n');
    const heading = lines.indexOf('**Feeds (26, 12 paused)**');
    const feeds = lines.slice(heading + 1, lines.indexOf('', heading));
    expect(feeds.at(-1)).toMatch(/^…and \d+ more$/);
    const whole = feeds.slice(0, -1);
    for (const line of whole) expect(line).toMatch(/^(⏸️ .+: paused since .+; last success 1 d 0 h ago|⚠️ .+: 9 failures in a row .+; last success 1 d 0 h ago|✅ .+: ok, .+ ago)$/u);
    expect(feeds.at(-1)).toBe(`…and ${26 - whole.length} more`);
    // Paused feeds come first: they need a moderator.
    expect(whole[0]).toMatch(/^⏸️ /u);
    expect(lines.at(-1)).toMatch(/^…and \d+ more$/);
  });

  it('a reply no command cut is fitted on its way out: content, each embed part, the count and the 6,000 total', async () => {
    const field = () => ({ name: heavy(300), value: heavy(2000) });
    const embed = () => ({ title: heavy(300), description: heavy(5000), color: 1, footer: { text: heavy(3000) }, author: { name: heavy(300) }, fields: Array.from({ length: 30 }, field) });
    vi.spyOn(latest, 'execute').mockResolvedValueOnce({ content: heavy(5000), embeds: Array.from({ length: 12 }, embed) });
    const reply = await accepted(h.fake.sendCommand({ name: 'latest' }));
    expect(reply.content).toMatch(/…$/);
    expect(reply.embeds[0]!.title).toMatch(/…$/);
  });
});
