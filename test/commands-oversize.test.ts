// Each command's pure reply builder with the largest, most markdown-heavy data it can meet: the
// reply must already be one Discord takes, so the last-resort cut on the way out (fitReply)
// finds nothing to cut and never has to cut blindly.
import { describe, expect, it } from 'vitest';
import { feedAddedReply, feedsListReply } from '../commands/feeds.ts';
import { latestReply } from '../commands/latest.ts';
import { chooseQuote, quoteReply } from '../commands/quote.ts';
import { LIMITS, quoteAddedReply, quoteFromOptions, quoteRemovedReply } from '../commands/quotes.ts';
import { setupReply } from '../commands/setup.ts';
import { statusReply } from '../commands/status.ts';
import type { CommandReply } from '../src/bot/command.ts';
import { fitReply } from '../src/bot/reply-limits.ts';
import type { Quote } from '../src/store/sql/quotes.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { heavy } from './support/oversize.ts';

const NOW = new Date('2024-06-01T12:00:00Z');
const ID = '123456789012345678';
const EMOJI_URL = `https://example.com/${'😀'.repeat(480)}`;

function expectFits(reply: CommandReply): void {
  expect(validateMessageBody({ ...reply, allowed_mentions: { parse: [] } })).toEqual([]);
  expect(fitReply(reply)).toEqual(reply);
}

function maximalQuote(speaker = heavy(LIMITS.speaker), sourceUrl = EMOJI_URL): Quote {
  const options = { speaker, text: heavy(LIMITS.text), source_url: sourceUrl, source_title: heavy(LIMITS.sourceTitle), context: heavy(LIMITS.context) };
  const built = quoteFromOptions(options, NOW, ID);
  if ('error' in built) throw new Error(built.error);
  return built.quote;
}

describe('replies at their largest', () => {
  it('/quote, /quotes add and remove with a maximal quote whose address encodes to 5,780 characters', () => {
    const quote = maximalQuote();
    expect(quote.source.url!.length).toBe(5780);
    for (const reply of [quoteReply(quote), quoteAddedReply(quote), quoteRemovedReply(quote)]) expectFits(reply);
    // A bundled quote may have any length: a role, a via and words far beyond what /quotes add takes.
    const bundled: Quote = { ...quote, text: heavy(20_000), role: heavy(5000), source: { ...quote.source, via: heavy(5000), date: '2023' } };
    expectFits(quoteReply(bundled));
  });

  it('/quote person:nobody with 30 long speaker names', () => {
    const quotes = Array.from({ length: 30 }, (_, i) => maximalQuote(`${String(i).padStart(2, '0')} ${heavy(LIMITS.speaker - 3)}`, 'https://example.com/q'));
    const reply = chooseQuote(quotes, heavy(100), () => 0);
    expect(reply.content).toMatch(/, …and \d+ more\.$/);
    expectFits(reply);
  });

  it('/latest with huge titles, sources and links, including one longer than any URL Discord takes', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({
      id: `${i}`, feed: 'f', source: heavy(5000), title: heavy(10_000), summary: '',
      link: i === 0 ? `https://news.example.com/${'x'.repeat(3000)}` : `https://news.example.com/${'(a)'.repeat(600)}`,
    }));
    const reply = latestReply(items, 10);
    expect(reply.embeds![0]!.description).toMatch(/^\*\*1\.\*\* [^[]/);
    expectFits(reply);
  });

  it('/status and /feeds list with many failing feeds, long URLs and long errors', () => {
    const urls = Array.from({ length: 40 }, (_, i) => `https://feeds${i}.example.org/${heavy(1000)}`);
    const state = { lastAttempt: NOW.toISOString(), consecutiveFailures: 4, lastError: heavy(5000), paused: true, pausedReason: heavy(5000) };
    const dead = { id: 1, key: 'k', channelId: ID, itemId: 'i', title: heavy(5000), body: { embeds: [], allowed_mentions: { parse: [] } }, kind: 'post' as const, state: 'dead' as const, enqueuedAt: '', attempts: 1, failedAt: '', reason: heavy(5000) };
    expectFits(statusReply({ now: NOW, startedAt: NOW, feeds: urls.map((url) => ({ url, state })), outbox: { pending: 0, dead: 9, retrying: 0, publishing: 0 }, deadLetters: Array(9).fill(dead) }));
    const own = urls.map((url) => ({ guildId: ID, url, addedAt: NOW.toISOString(), addedBy: ID }));
    expectFits(feedsListReply(urls, own, new Map(urls.map((u) => [u, state])), NOW, 1000));
    expectFits(feedAddedReply(urls[0]!, { title: heavy(5000), items: 3, onTopic: 1 }, 5));
  });

  it('/setup naming a channel and a role', () => {
    expectFits(setupReply({ guildId: ID, channelId: ID, roleId: ID, updatedAt: '' }, { guildId: ID, channelId: '876543210987654321', updatedAt: '' }));
  });
});
