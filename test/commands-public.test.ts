import { describe, expect, it } from 'vitest';
import { latestReply } from '../commands/latest.ts';
import { chooseQuote, namesSpeaker, personChoices, quoteReply } from '../commands/quote.ts';
import { statusReply } from '../commands/status.ts';
import type { NewsItem } from '../src/engine/types.ts';
import { readQuotesFile } from '../src/store/quotes.ts';
import { validateMessageBody } from './support/discord-schema.ts';

const quotes = readQuotesFile();
const news = (n: number): NewsItem => ({
  id: `id${n}`,
  feed: 'f',
  source: 'Sample *News*',
  title: `Alita 2 update [${n}]`,
  link: `https://news.example.com/a_(${n})`,
  summary: '',
  published: `2024-02-${String(10 + n).padStart(2, '0')}T10:00:00Z`,
});
const valid = (reply: { content?: string; embeds?: unknown[] }) => validateMessageBody({ ...reply, allowed_mentions: { parse: [] } });

describe('/latest reply', () => {
  it('lists the newest items first with source, date and link, 5 by default', () => {
    const archive = [9, 8, 7, 6, 5, 4, 3].map(news);
    const reply = latestReply(archive);
    const text = reply.embeds![0]!.description!;
    expect(text.match(/\*\*\d+\.\*\*/g)).toEqual(['**1.**', '**2.**', '**3.**', '**4.**', '**5.**']);
    expect(text.indexOf('update \\[9\\]')).toBeLessThan(text.indexOf('update \\[8\\]'));
    expect(text).toContain('](https://news.example.com/a_%289%29)');
    expect(text).toContain('Sample \\*News\\* · 19 Feb 2024');
    expect(valid(reply)).toEqual([]);
  });

  it('honours count within 1–10', () => {
    const archive = Array.from({ length: 12 }, (_, i) => news(i));
    expect(latestReply(archive, 3).embeds![0]!.description!.match(/\*\*\d+\.\*\*/g)).toHaveLength(3);
    expect(latestReply(archive, 50).embeds![0]!.description!.match(/\*\*\d+\.\*\*/g)).toHaveLength(10);
  });

  it('says so in a friendly line when there is nothing yet', () => {
    expect(latestReply([])).toEqual({ content: expect.stringMatching(/No Alita sequel news yet/) });
  });
});

describe('/quote reply', () => {
  it('matches cameron and rodriguez case- and accent-insensitively', () => {
    expect(namesSpeaker('cameron', 'James Cameron')).toBe(true);
    expect(namesSpeaker('RODRÍGUEZ', 'Robert Rodriguez')).toBe(true);
    expect(namesSpeaker('rod', 'Robert Rodriguez')).toBe(true);
    expect(namesSpeaker('diaz', 'James Cameron')).toBe(false);
  });

  it('shows who said it, when, and the source', () => {
    const reply = chooseQuote(quotes, 'cameron', () => 0);
    const text = reply.embeds![0]!.description!;
    expect(text).toContain('new Alita: Battle Angel movies');
    expect(text).toContain('— **James Cameron**, producer, Jun 2023');
    expect(text).toMatch(/Source: Fans and Robert Rodriguez want Alita: Battle Angel 2 to come true/);
    expect(reply.ephemeral).toBeUndefined();
    expect(valid(reply)).toEqual([]);
  });

  it('links the source when the quote has a URL', () => {
    const reply = quoteReply({ ...quotes[0]!, source: { title: 'Interview', url: 'https://example.com/i' } });
    expect(reply.embeds![0]!.description).toContain('[Interview](https://example.com/i)');
  });

  it('picks at random among the person’s quotes', () => {
    const first = chooseQuote(quotes, 'rodriguez', () => 0).embeds![0]!.footer!.text;
    const last = chooseQuote(quotes, 'rodriguez', () => 0.99).embeds![0]!.footer!.text;
    expect(first).not.toBe(last);
  });

  it('answers an unknown person privately with who is known', () => {
    expect(chooseQuote(quotes, 'Cameron Diaz', () => 0)).toEqual({ content: 'No known quotes by “Cameron Diaz”. Known: James Cameron, Robert Rodriguez.', ephemeral: true });
  });

  it('autocompletes the people who have quotes', () => {
    expect(personChoices(quotes, '')).toEqual([
      { name: 'James Cameron', value: 'James Cameron' },
      { name: 'Robert Rodriguez', value: 'Robert Rodriguez' },
    ]);
    expect(personChoices(quotes, 'rob')).toEqual([{ name: 'Robert Rodriguez', value: 'Robert Rodriguez' }]);
  });
});

describe('/status reply', () => {
  it('shows uptime, last poll, feed health, outbox and dead letters', () => {
    const now = new Date('2024-03-01T12:00:00Z');
    const reply = statusReply({
      now,
      startedAt: new Date('2024-02-28T10:00:00Z'),
      lastPoll: { at: '2024-03-01T11:59:00Z', feeds: 2, failed: 1, announced: 3 },
      feeds: [
        { url: 'https://ok.example/feed', state: { lastAttempt: '2024-03-01T11:59:00Z', lastSuccess: '2024-03-01T11:59:00Z', consecutiveFailures: 0 } },
        { url: 'https://bad.example/feed', state: { lastAttempt: '2024-03-01T11:59:00Z', lastSuccess: '2024-02-29T11:00:00Z', consecutiveFailures: 4, lastError: 'HTTP 503 Service Unavailable' } },
      ],
      outbox: { pending: 2, dead: 1 },
      deadLetters: [{ key: 'c:i', channelId: 'c', itemId: 'i', title: 'Alita 2', body: { embeds: [], allowed_mentions: { parse: [] } }, seq: 1, enqueuedAt: '', attempts: 0, failedAt: '', reason: 'Discord 403 (50013): Missing Permissions' }],
    });
    const text = reply.embeds![0]!.description!;
    expect(text).toContain('**Uptime:** 2 d 2 h');
    expect(text).toContain('**Last poll:** 1 min ago: 2 feeds, 1 failed, 3 new');
    expect(text).toContain('**Outbox:** 2 waiting, 1 dead-lettered');
    expect(text).toContain('4 failures in a row (HTTP 503 Service Unavailable); last success 1 d 1 h ago');
    expect(text).toContain('Missing Permissions');
    expect(valid(reply)).toEqual([]);
  });
});
