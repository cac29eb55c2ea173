import { describe, expect, it } from 'vitest';
import { escapeDiscordText, formatAnnouncement, LIMITS, plainDiscordText } from '../src/engine/format.ts';
import type { NewsItem } from '../src/engine/types.ts';
import { embedTextLength, validateMessageBody } from './support/discord-schema.ts';

const item = (over: Partial<NewsItem> = {}): NewsItem => ({
  id: 'abc',
  feed: 'https://news.example.com/feed',
  source: 'Sample News',
  title: 'Alita 2 update: Cameron still committed',
  link: 'https://news.example.com/alita-2?utm_source=rss',
  summary: 'James Cameron says the sequel is still on.',
  published: '2023-10-04T12:00:00.000Z',
  author: 'Staff',
  image: 'https://news.example.com/alita.jpg',
  ...over,
});

describe('formatAnnouncement', () => {
  it('builds an embed with title, link as published, excerpt, source, date and image', () => {
    const body = formatAnnouncement(item());
    expect(body).toEqual({
      embeds: [
        {
          title: 'Alita 2 update: Cameron still committed',
          url: 'https://news.example.com/alita-2?utm_source=rss',
          description: 'James Cameron says the sequel is still on.',
          color: expect.any(Number),
          timestamp: '2023-10-04T12:00:00.000Z',
          footer: { text: 'Sample News' },
          author: { name: 'Staff' },
          image: { url: 'https://news.example.com/alita.jpg' },
        },
      ],
      allowed_mentions: { parse: [] },
    });
    expect(validateMessageBody(body)).toEqual([]);
  });

  it('is pure: the same item gives the same body', () => {
    expect(formatAnnouncement(item())).toEqual(formatAnnouncement(item()));
  });

  it('cuts long text at a word with an ellipsis, within Discord limits', () => {
    const words = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    const body = formatAnnouncement(item({ title: words, summary: words, author: words, source: words }));
    const embed = body.embeds[0]!;
    expect(Array.from(embed.title).length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.title.endsWith('…')).toBe(true);
    expect(embed.title).toMatch(/word\d+…$/);
    expect(Array.from(embed.author!.name).length).toBeLessThanOrEqual(LIMITS.author);
    expect(Array.from(embed.footer.text).length).toBeLessThanOrEqual(LIMITS.footer);
    expect(embedTextLength(embed)).toBeLessThanOrEqual(LIMITS.total);
    expect(validateMessageBody(body)).toEqual([]);
  });

  it('counts characters, not UTF-16 units, when cutting', () => {
    const body = formatAnnouncement(item({ title: '🎬'.repeat(400) }));
    expect(Array.from(body.embeds[0]!.title).length).toBeLessThanOrEqual(LIMITS.title);
    expect(validateMessageBody(body)).toEqual([]);
  });

  it('omits what the item lacks and never sends an empty title', () => {
    const body = formatAnnouncement(item({ title: '', link: undefined, summary: '', published: undefined, author: undefined, image: undefined }));
    expect(body.embeds[0]).toEqual({ title: 'Untitled item', color: expect.any(Number), footer: { text: 'Sample News' } });
    expect(validateMessageBody(body)).toEqual([]);
  });

  it('sends no timestamp for a date Discord refuses (an item stored before such dates were dropped)', () => {
    for (const published of ['-001000-01-01T00:00:00.000Z', '1969-12-31T23:59:59.000Z', 'not a date']) {
      const body = formatAnnouncement(item({ published }));
      expect(body.embeds[0]!.timestamp).toBeUndefined();
      expect(validateMessageBody(body)).toEqual([]);
    }
    expect(formatAnnouncement(item({ published: '1970-01-01T00:00:00.000Z' })).embeds[0]!.timestamp).toBe('1970-01-01T00:00:00.000Z');
  });

  it('drops links longer than Discord accepts', () => {
    const body = formatAnnouncement(item({ link: `https://example.com/${'a'.repeat(2100)}` }));
    expect(body.embeds[0]!.url).toBeUndefined();
    expect(validateMessageBody(body)).toEqual([]);
  });
});

describe('footer and author: plain text in Discord', () => {
  it('shows the source and the author as written, with no markdown escapes, while title and description stay escaped', () => {
    const embed = formatAnnouncement(item({ source: 'Film Wire (sample)', author: 'Jane_Doe *staff* [x] #1', title: 'Alita (2)', summary: '*Cast* news' })).embeds[0]!;
    expect(embed.footer.text).toBe('Film Wire (sample)');
    expect(embed.author!.name).toBe('Jane_Doe *staff* [x] #1');
    expect(embed.title).toBe('Alita \\(2\\)');
    expect(embed.description).toBe('\\*Cast\\* news');
  });

  it('keeps them one line and breaks @everyone, @here and mention syntax with a zero-width space', () => {
    const embed = formatAnnouncement(item({ source: 'Wire\n@everyone\u0007 news\r\n\t<@123456789012345678>', author: '@here <#111> </x:1>' })).embeds[0]!;
    expect(embed.footer.text).toBe('Wire @\u200beveryone news <\u200b@123456789012345678>');
    expect(embed.author!.name).toBe('@\u200bhere <\u200b#111> <\u200b/x:1>');
    expect(plainDiscordText('  A\u200b@Everyone  ')).toBe('A@\u200bEveryone');
  });
});

describe('feed text can neither format nor ping', () => {
  it('escapes markdown and masked links', () => {
    expect(escapeDiscordText('**bold** _it_ ~~s~~ `code` ||spoiler|| [click](https://evil.example)')).toBe(
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\[click\\]\\(https://evil.example\\)',
    );
    expect(escapeDiscordText('# Heading')).toBe('\\# Heading');
    expect(escapeDiscordText('> quote')).toBe('\\> quote');
  });

  it('breaks @everyone, @here and raw mention syntax', () => {
    const body = formatAnnouncement(item({ title: '@everyone Alita 2!', summary: 'ping @here <@123456789012345678> <@&987654321098765432> <#111>' }));
    const text = JSON.stringify(body.embeds);
    expect(text).not.toMatch(/@everyone|@here/);
    expect(text).not.toMatch(/<@!?\d|<@&\d|<#\d/);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('pings only the configured role, listed explicitly', () => {
    const body = formatAnnouncement(item({ summary: '@everyone <@&1>' }), { pingRoleId: '222222222222222222' });
    expect(body.content).toBe('<@&222222222222222222>');
    expect(body.allowed_mentions).toEqual({ parse: [], roles: ['222222222222222222'] });
    expect(validateMessageBody(body)).toEqual([]);
  });
});
