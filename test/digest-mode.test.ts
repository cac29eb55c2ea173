/**
 * Digest mode (/setup mode:digest hour:H): a server's stories wait for one message a day at H:00
 * UTC (src/bot/targets.ts gives the due time, poll-feed the batch, delivery holds it), and a day
 * without news sends nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import setup, { DEFAULT_DIGEST_HOUR, setupReply } from '../commands/setup.ts';
import type { CommandRequest } from '../src/bot/command.ts';
import { deliverPending, type AnnouncePort } from '../src/bot/delivery.ts';
import { announcementTargets, nextDigestAt } from '../src/bot/targets.ts';
import { formatAnnouncement, type MessageBody } from '../src/engine/format.ts';
import { silentLogger } from '../src/log.ts';
import { DAILY_BATCH, type NewEntry, type Outbox } from '../src/store/sql/index.ts';
import type { ServerSettings } from '../src/store/sql/types.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { tempSqliteStore } from './support/store.ts';

const HOUR = 60 * 60_000;
const CHANNEL = '222222222222222222';
const ROLE = '555555555555555555';

describe('when the daily digest is due', () => {
  it('is the next H:00 UTC after now: today when still to come, else tomorrow', () => {
    expect(nextDigestAt(new Date('2024-03-01T16:59:59Z'), 17)).toBe('2024-03-01T17:00:00.000Z');
    expect(nextDigestAt(new Date('2024-03-01T17:00:00Z'), 17)).toBe('2024-03-02T17:00:00.000Z');
    expect(nextDigestAt(new Date('2024-12-31T23:30:00Z'), 0)).toBe('2025-01-01T00:00:00.000Z');
  });

  it('goes with the targets of digest-mode servers only', () => {
    const guilds: ServerSettings[] = [{ guildId: 'g1', channelId: 'c1', digestHour: 9, updatedAt: 't' }, { guildId: 'g2', channelId: 'c2', updatedAt: 't' }];
    expect(announcementTargets(guilds, {}, new Date('2024-03-01T10:00:00Z'))).toEqual([{ channelId: 'c1', guildId: 'g1', dailyAt: '2024-03-02T09:00:00.000Z' }, { channelId: 'c2', guildId: 'g2' }]);
  });
});

describe('delivering a digest-mode channel', () => {
  let temp: Awaited<ReturnType<typeof tempSqliteStore>>;
  let outbox: Outbox;
  let now: number;
  let sent: MessageBody[];
  const port: AnnouncePort = { send: async (_channel, { nonce: _n, enforce_nonce: _e, ...body }) => void sent.push(body) };
  const deliver = () => deliverPending({ outbox, port, clock: () => new Date(now), logger: silentLogger });
  const due = '2024-03-01T17:00:00.000Z';
  const stories = (numbers: number[]): NewEntry[] =>
    numbers.map((n) => {
      const item = { id: `i${n}`, feed: 'f', source: 'News', title: `Alita 2 story ${n}`, summary: '', link: `https://news.example.com/${n}`, published: new Date(Date.parse(due) - (10 - n) * HOUR).toISOString() };
      return { channelId: CHANNEL, itemId: item.id, title: item.title, body: formatAnnouncement(item, { pingRoleId: ROLE }), batch: `${DAILY_BATCH}${due}`, at: item.published };
    });

  beforeEach(async () => {
    temp = await tempSqliteStore();
    outbox = temp.stores.outbox;
    now = Date.parse('2024-03-01T08:00:00Z');
    sent = [];
  });
  afterEach(() => temp.cleanup());

  it('holds the day\'s stories, then sends them as one message at the hour, pinging once', async () => {
    await outbox.enqueue(stories([1, 2]), new Date(now), { maxPostsPerChannel: 5 });
    now += 3 * HOUR;
    await outbox.enqueue(stories([3]), new Date(now), { maxPostsPerChannel: 5 });
    expect(await deliver()).toMatchObject({ sent: 0 });
    now = Date.parse(due) - 1;
    expect(await deliver()).toMatchObject({ sent: 0 });
    now = Date.parse(due);
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(sent).toHaveLength(1);
    const [digest] = sent;
    expect(digest!.embeds[0]!.title).toBe('Alita sequel news of the day: 3 stories');
    expect(digest!.embeds[0]!.description).toContain('Alita 2 story 1');
    expect(digest!.content).toBe(`<@&${ROLE}>`);
    expect(validateMessageBody(digest)).toEqual([]);
    expect(await deliver()).toMatchObject({ sent: 0 });
  });

  it('sends nothing on a day without news', async () => {
    now = Date.parse(due) + HOUR;
    expect(await deliver()).toMatchObject({ sent: 0 });
    expect(sent).toEqual([]);
  });
});

describe('/setup mode:digest', () => {
  const request = (options: CommandRequest['options']): CommandRequest => ({
    name: 'setup', options: { channel: CHANNEL, ...options }, guildId: '111111111111111111', userId: '444444444444444444', canManageGuild: true,
    channels: { channel: { id: CHANNEL, guildId: '111111111111111111', type: 0, botMissing: [] } },
  });
  const stored: ServerSettings[] = [];
  const ctx = { settings: { guild: async () => undefined, setGuild: async (s: ServerSettings) => void stored.push(s) }, clock: () => new Date(), logger: silentLogger };
  const run = (options: CommandRequest['options']) => setup.execute(request(options), ctx as never);

  it('stores the hour (default 17 UTC) and says what happens', async () => {
    expect((await run({ mode: 'digest', hour: 6 })).content).toMatch(/^New Alita sequel news will be gathered into one message a day in <#\d+>, at 06:00 UTC, without pinging anyone \(nothing is sent on a day without news\)\./);
    await run({ mode: 'digest' });
    await run({ mode: 'post' });
    expect(stored.map((s) => s.digestHour)).toEqual([6, DEFAULT_DIGEST_HOUR, undefined]);
  });

  it('refuses an hour without digest mode, or out of range', async () => {
    expect((await run({ hour: 6 })).content).toBe('hour only applies to mode:digest (the hour of the daily message).');
    expect((await run({ mode: 'digest', hour: 24 })).content).toBe('hour is a whole hour of the day, UTC, from 0 to 23.');
    expect(setupReply({ guildId: 'g', channelId: CHANNEL, updatedAt: 't' }).content).toMatch(/^New Alita sequel news will be announced/);
  });
});
