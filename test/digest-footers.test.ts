/**
 * A digest is rebuilt from the announcements queued in the outbox (delivery.ts: itemOf), reading
 * each item's source back from its embed footer. Footers are plain text now; entries queued
 * before held markdown-escaped footers. Either way the digest line, which renders markdown,
 * shows the source as the feed wrote it, escaped exactly once.
 */
import { describe, expect, it } from 'vitest';
import { plannedSends } from '../src/bot/delivery.ts';
import { escapeDiscordText, formatAnnouncement, type MessageBody } from '../src/engine/format.ts';
import type { NewsItem } from '../src/engine/types.ts';
import type { OutboxEntry } from '../src/store/sql/outbox-entries.ts';
import { validateMessageBody } from './support/discord-schema.ts';

const CH = '100000000000000001';
const BATCH = '2024-03-01T12:00:00.000Z';

function item(n: number, source: string): NewsItem {
  return { id: `item-${n}`, feed: 'https://news.example.com/feed.xml', source, title: `Alita 2 news number ${n}`, summary: '', link: `https://news.example.com/${n}`, published: `2024-02-0${n}T10:00:00.000Z` };
}

function entry(n: number, body: MessageBody): OutboxEntry {
  return { id: n, key: `${CH}:item-${n}`, channelId: CH, itemId: `item-${n}`, title: `Alita 2 news number ${n}`, body, batch: BATCH, at: BATCH, kind: 'digest', state: 'pending', enqueuedAt: BATCH, attempts: 0 };
}

/** What each digest line says after the title: "source · date". */
function digestSources(entries: OutboxEntry[]): string[] {
  const [send] = plannedSends(entries);
  expect(validateMessageBody(send!.body)).toEqual([]);
  return (send!.body.embeds[0]!.description ?? '').split('\n').map((line) => line.split(' — ')[1]!.replace(/ · \d{4}-\d{2}-\d{2}$/, ''));
}

describe('digest lines from queued announcements', () => {
  it('show a plain-text footer’s source escaped once, backslashes included', () => {
    const sources = ['Film Wire (sample)', 'C:\\Feeds\\News', 'Wire *daily* @everyone'];
    const entries = sources.map((source, i) => entry(i + 1, formatAnnouncement(item(i + 1, source))));
    expect(entries.map((e) => e.body.embeds[0]!.footer.text)).toEqual(['Film Wire (sample)', 'C:\\Feeds\\News', 'Wire *daily* @\u200beveryone']);
    expect(digestSources(entries)).toEqual(['Film Wire \\(sample\\)', 'C:\\\\Feeds\\\\News', 'Wire \\*daily\\* @\u200beveryone']);
  });

  it('read a footer queued before footers were plain (markdown-escaped) as the same source', () => {
    const old = formatAnnouncement(item(1, 'Film Wire (sample)'));
    old.embeds[0]!.footer.text = escapeDiscordText('Film Wire (sample)');
    expect(old.embeds[0]!.footer.text).toBe('Film Wire \\(sample\\)');
    expect(digestSources([entry(1, old), entry(2, formatAnnouncement(item(2, 'Film Wire (sample)')))])).toEqual(['Film Wire \\(sample\\)', 'Film Wire \\(sample\\)']);
  });
});
