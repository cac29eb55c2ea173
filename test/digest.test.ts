import { describe, expect, it } from 'vitest';
import { formatDigest } from '../src/engine/digest.ts';
import { LIMITS, type MessageBody } from '../src/engine/format.ts';
import type { NewsItem } from '../src/engine/types.ts';
import { embedTextLength, validateMessageBody } from './support/discord-schema.ts';
import { seededRandom } from './support/random.ts';

const item = (i: number, over: Partial<NewsItem> = {}): NewsItem => ({
  id: `id-${i}`,
  feed: 'https://news.example.com/feed',
  source: 'Sample News',
  title: `Alita 2 story number ${i}`,
  link: `https://news.example.com/alita-2/${i}`,
  summary: 'James Cameron says the sequel is still on.',
  published: `2023-10-${String((i % 28) + 1).padStart(2, '0')}T12:00:00.000Z`,
  ...over,
});

const chars = (s: string) => Array.from(s).length;
const ROLE = '222222222222222222';
const MORE = /^…and (\d+) more — see \/latest$/;

/**
 * A masked link line as Discord's markdown reads it: the text holds no bracket or parenthesis that
 * is not escaped, the target is one http(s) URL with nothing that could end it early.
 */
const LINK_LINE = /^• \[((?:\\.|[^\\[\]()])*)\]\((https?:\/\/[^\s()\\<>"'`]+)\)(?: — ((?:\\.|[^\\[\]()])*))?$/su;
/** A line without a link: no markdown link can form anywhere in it. */
const PLAIN_LINE = /^• (?:\\.|[^\\[\]()])*$/su;

function lines(body: MessageBody): string[] {
  return (body.embeds[0]!.description ?? '').split('\n');
}

/** Everything Discord would enforce, plus: no markdown link or mention from feed text. */
function expectSendable(body: MessageBody, pingRoleId?: string): void {
  expect(validateMessageBody(body)).toEqual([]);
  expect(body.embeds).toHaveLength(1);
  const embed = body.embeds[0]!;
  expect(chars(embed.title)).toBeLessThanOrEqual(LIMITS.title);
  expect(chars(embed.description ?? '')).toBeLessThanOrEqual(LIMITS.description);
  expect(embedTextLength(embed)).toBeLessThanOrEqual(LIMITS.total);
  expect(chars(body.content ?? '')).toBeLessThanOrEqual(2000);

  const all = lines(body);
  all.forEach((line, i) => {
    if (i === all.length - 1 && MORE.test(line)) return;
    expect(LINK_LINE.test(line) || PLAIN_LINE.test(line), line.slice(0, 300)).toBe(true);
  });
  const text = JSON.stringify(body.embeds);
  expect(text).not.toMatch(/@everyone|@here/i);
  expect(text).not.toMatch(/<@!?\d|<@&\d|<#\d/);
  expect(text).not.toMatch(/\]\(\s*(?!https?:\/\/)/i);

  if (pingRoleId) {
    expect(body.content).toBe(`<@&${pingRoleId}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [pingRoleId] });
    expect(text).not.toContain(pingRoleId);
  } else {
    expect(body.content).toBeUndefined();
    expect(body.allowed_mentions).toEqual({ parse: [] });
  }
}

describe('formatDigest', () => {
  it('lists a few items in one embed: link, source and date, oldest first as given', () => {
    const body = formatDigest([
      item(1),
      item(2, { link: undefined, source: 'Other Outlet' }),
      item(3, { published: undefined, source: '' }),
    ]);
    expect(body).toEqual({
      embeds: [
        {
          title: '3 more stories about the Alita sequel',
          description: [
            '• [Alita 2 story number 1](https://news.example.com/alita-2/1) — Sample News · 2023-10-02',
            '• Alita 2 story number 2 — Other Outlet · 2023-10-03',
            '• [Alita 2 story number 3](https://news.example.com/alita-2/3) — https://news.example.com/feed',
          ].join('\n'),
          color: expect.any(Number),
          footer: { text: 'Oldest first' },
        },
      ],
      allowed_mentions: { parse: [] },
    });
    expectSendable(body);
  });

  it('says "story" for one item and never sends an empty title', () => {
    const body = formatDigest([item(1, { title: '   ' })]);
    expect(body.embeds[0]!.title).toBe('1 more story about the Alita sequel');
    expect(lines(body)).toEqual(['• [Untitled item](https://news.example.com/alita-2/1) — Sample News · 2023-10-02']);
    expectSendable(body);
  });

  it('is pure: the same items give the same body', () => {
    const items = Array.from({ length: 50 }, (_, i) => item(i));
    expect(formatDigest(items)).toEqual(formatDigest(items.map((x) => ({ ...x }))));
  });

  it('lists everything, with no "more" line, when it fits', () => {
    const items = Array.from({ length: 20 }, (_, i) => item(i));
    const body = formatDigest(items);
    expect(lines(body)).toHaveLength(20);
    expect(body.embeds[0]!.description).not.toMatch(/more — see/);
    expectSendable(body);
  });

  it('300 items: cuts at a whole line and counts the rest exactly', () => {
    const items = Array.from({ length: 300 }, (_, i) => item(i));
    const body = formatDigest(items);
    expectSendable(body);
    expect(body.embeds[0]!.title).toBe('300 more stories about the Alita sequel');

    const all = lines(body);
    const k = Number(MORE.exec(all.at(-1)!)?.[1]);
    const listed = all.slice(0, -1);
    expect(k).toBeGreaterThan(0);
    expect(listed.length + k).toBe(300);
    // The listed lines are the first items, whole and in the order given.
    listed.forEach((line, i) => expect(line).toBe(lines(formatDigest([items[i]!]))[0]));
    // And as many as fit: one more whole line would break the description limit.
    const next = lines(formatDigest([items[listed.length]!]))[0]!;
    const longer = [...listed, next, `…and ${k - 1} more — see /latest`].join('\n');
    expect(chars(longer)).toBeGreaterThan(LIMITS.description);
  });

  it('counts characters, not UTF-16 units', () => {
    const items = Array.from({ length: 300 }, (_, i) => item(i, { title: '🎬'.repeat(400), source: '🎞️'.repeat(100) }));
    const body = formatDigest(items);
    expectSendable(body);
    const all = lines(body);
    expect(Number(MORE.exec(all.at(-1)!)?.[1]) + all.length - 1).toBe(300);
  });
});

describe('feed text in a digest can neither format, break a link nor ping', () => {
  const hostile: Array<Partial<NewsItem>> = [
    { title: '**bold** _it_ ~~s~~ `code` ||spoiler|| # heading > quote' },
    { title: 'Alita 2](https://evil.example) [click me' },
    { title: 'close]', link: 'https://news.example.com/a' },
    { title: 'ends with a backslash \\' },
    { title: '@everyone @here Alita 2! <@123456789012345678> <@&987654321098765432> <#111> <t:1:R>' },
    { title: 'line one\nline two\r\n# not a heading\n- not a list' },
    { title: 'Alita 2 '.repeat(250) },
    { title: '['.repeat(2000) },
    { title: '\\'.repeat(2000) },
    { title: 'wiki link', link: 'https://en.wikipedia.org/wiki/Alita_(film)' },
    { title: 'spaces', link: 'https://news.example.com/a b/c d?q=x y' },
    { title: 'quotes', link: 'https://news.example.com/a "title" \'x\' `y` <z>' },
    { title: 'backslash', link: 'https://news.example.com/a?x=\\)(' },
    { title: 'js', link: 'javascript:alert(document.cookie)' },
    { title: 'data', link: 'data:text/html,<script>alert(1)</script>' },
    { title: 'relative', link: '/alita-2' },
    { title: 'ftp', link: 'ftp://news.example.com/alita' },
    { title: 'too long', link: `https://news.example.com/${'('.repeat(1000)}` },
    { source: '**Evil** [outlet](https://evil.example) @everyone <@1>' },
    { source: 'x'.repeat(2000) },
    { published: 'not a date' },
  ];

  it('escapes markdown exactly as announcements do and keeps one line per item', () => {
    const body = formatDigest([item(0, hostile[0]), item(1, hostile[5])]);
    expect(lines(body)).toEqual([
      '• [\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| # heading \\> quote](https://news.example.com/alita-2/0) — Sample News · 2023-10-01',
      '• [line one line two # not a heading - not a list](https://news.example.com/alita-2/1) — Sample News · 2023-10-02',
    ]);
    expectSendable(body);
  });

  it('keeps a title inside its link text', () => {
    const [line] = lines(formatDigest([item(0, hostile[1])]));
    expect(line).toBe('• [Alita 2\\]\\(https://evil.example\\) \\[click me](https://news.example.com/alita-2/0) — Sample News · 2023-10-01');
    expect(LINK_LINE.exec(line!)?.[2]).toBe('https://news.example.com/alita-2/0');
  });

  it('percent-encodes what would end a link, and lists non-http(s) links as plain titles', () => {
    const links = hostile.slice(9, 18).map((over, i) => LINK_LINE.exec(lines(formatDigest([item(i, over)]))[0]!)?.[2]);
    expect(links).toEqual([
      'https://en.wikipedia.org/wiki/Alita_%28film%29',
      'https://news.example.com/a%20b/c%20d?q=x%20y',
      'https://news.example.com/a%20%22title%22%20%27x%27%20%60y%60%20%3Cz%3E',
      'https://news.example.com/a?x=%5C%29%28',
      undefined, // javascript:
      undefined, // data:
      undefined, // relative: no base to resolve against
      undefined, // ftp:
      undefined, // longer than Discord accepts once encoded
    ]);
    for (const over of hostile.slice(13, 18)) {
      const [line] = lines(formatDigest([item(0, over)]));
      expect(line).toMatch(PLAIN_LINE);
      expect(line).not.toMatch(/javascript|data:|\]\(/);
    }
  });

  it('neutralises mentions in titles and sources', () => {
    const body = formatDigest([item(0, hostile[4]), item(1, hostile[18])]);
    expectSendable(body);
    expect(body.embeds[0]!.description).toContain('@\u200beveryone');
  });

  it('caps each line, so 2,000-character titles still leave room for other items', () => {
    const body = formatDigest(hostile.slice(6, 9).flatMap((over) => [item(0, over), item(1, over)]).concat(item(2, hostile[19])));
    expectSendable(body);
    expect(lines(body)).toHaveLength(7);
    for (const line of lines(body)) expect(chars(line)).toBeLessThanOrEqual(400);
  });

  it('every hostile item, alone, together, and 300 of them, with and without a ping role', () => {
    const items = hostile.map((over, i) => item(i, over));
    const many = Array.from({ length: 300 }, (_, i) => item(i, hostile[i % hostile.length]));
    for (const ping of [undefined, ROLE]) {
      const options = ping ? { pingRoleId: ping } : undefined;
      for (const one of items) expectSendable(formatDigest([one], options), ping);
      expectSendable(formatDigest(items, options), ping);
      const body = formatDigest(many, options);
      expectSendable(body, ping);
      const all = lines(body);
      expect(Number(MORE.exec(all.at(-1)!)?.[1]) + all.length - 1).toBe(300);
    }
  });

  it('random hostile mixes of any size stay sendable', () => {
    const random = seededRandom(20231004);
    const pieces = ['[', ']', '(', ')', '\\', '*', '_', '`', '|', '~', '<@1>', '@everyone', '<#2>', '# ', '\n', ' ', 'Alita', '🎬', 'é', '\u200b', '>'];
    const text = (n: number) => Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const links = ['https://a.example/x(y)', 'https://a.example/ z', 'javascript:void(0)', undefined, 'https://a.example/\\)'];
    for (let run = 0; run < 40; run++) {
      const count = 1 + Math.floor(random() * 400);
      const items = Array.from({ length: count }, (_, i) =>
        item(i, { title: text(Math.floor(random() * 600)), source: text(Math.floor(random() * 60)), link: links[Math.floor(random() * links.length)] }));
      const body = formatDigest(items, run % 2 ? { pingRoleId: ROLE } : undefined);
      expectSendable(body, run % 2 ? ROLE : undefined);
      const all = lines(body);
      const k = MORE.exec(all.at(-1)!)?.[1];
      expect(k === undefined ? all.length : Number(k) + all.length - 1).toBe(count);
    }
  });
});

describe('pinging', () => {
  it('mentions only the configured role, in content, listed explicitly', () => {
    const body = formatDigest([item(0, { title: '@everyone <@&1> <@2>' })], { pingRoleId: ROLE });
    expect(body.content).toBe(`<@&${ROLE}>`);
    expect(body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expectSendable(body, ROLE);
  });

  it('mentions no one without a role', () => {
    const body = formatDigest([item(0, { title: '@everyone <@&1> <@2>' })]);
    expect(body.content).toBeUndefined();
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expectSendable(body);
  });
});
