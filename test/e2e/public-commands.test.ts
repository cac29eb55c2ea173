// /latest, /quote (with autocomplete) and /status through the real discord.js Client, and what a
// member sees when a command breaks.
import { MessageFlags } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness;

beforeEach(async () => {
  h = await startBotHarness({ items: [sequel(1)] });
});

afterEach(async () => {
  await h?.close();
});

const isPrivate = (message: { flags?: number }) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe('public commands', () => {
  it('/latest and /latest count:1 answer with the archived items, newest first', async () => {
    h.setFeed([sequel(1), sequel(2)]);
    await h.cycle();
    const all = await h.fake.sendCommand({ name: 'latest' }).reply();
    expect(all.embeds[0]?.title).toBe('Latest 2 Alita sequel news items');
    const text = all.embeds[0]?.description ?? '';
    expect(text.indexOf('Alita 2 news number 2')).toBeGreaterThanOrEqual(0);
    expect(text.indexOf('Alita 2 news number 2')).toBeLessThan(text.indexOf('Alita 2 news number 1'));
    expect(isPrivate(all)).toBe(false);

    const one = await h.fake.sendCommand({ name: 'latest', options: { count: 1 } }).reply();
    expect(one.embeds[0]?.title).toBe('Latest Alita sequel news');
    expect(one.embeds[0]?.description).toContain('[Alita 2 news number 2](https://news.example.com/alita-2-2)');
    expect(one.embeds[0]?.description).not.toContain('number 1');
  });

  it('/quote person:cameron answers with James Cameron’s quote and its source', async () => {
    const reply = await h.fake.sendCommand({ name: 'quote', options: { person: 'cameron' } }).reply();
    const embed = reply.embeds[0];
    expect(embed?.title).toBe('James Cameron on the Alita sequel');
    expect(embed?.description).toContain('new Alita: Battle Angel movies');
    expect(embed?.description).toContain('— **James Cameron**, producer');
    expect(embed?.description).toMatch(/Source: Fans and Robert Rodriguez want Alita: Battle Angel 2 to come true/);
    expect(isPrivate(reply)).toBe(false);
  });

  it('autocompletes /quote person with the people who have quotes', async () => {
    expect(await h.fake.sendAutocomplete({ name: 'quote', focused: 'person', value: '' })).toEqual([
      { name: 'James Cameron', value: 'James Cameron' },
      { name: 'Robert Rodriguez', value: 'Robert Rodriguez' },
    ]);
    expect(await h.fake.sendAutocomplete({ name: 'quote', focused: 'person', value: 'rod' })).toEqual([{ name: 'Robert Rodriguez', value: 'Robert Rodriguez' }]);
  });

  it('/status answers privately with the last poll, the feed and the queue', async () => {
    const reply = await h.fake.sendCommand({ name: 'status' }).reply();
    expect(isPrivate(reply)).toBe(true);
    const embed = reply.embeds[0];
    expect(embed?.title).toBe('Alita Army news bot status');
    expect(embed?.description).toMatch(/\*\*Last poll:\*\* .* ago: 1 feed, 0 failed, 0 new/);
    expect(embed?.description).toContain('**Outbox (all servers):** 0 waiting, 0 dead-lettered');
    expect(embed?.description).toContain(`✅ ${h.feedUrl}: ok`);
  });

  it('a command that fails gets a private apology and a log line, and the bot keeps answering', async () => {
    vi.spyOn(h.bot.ctx.news, 'latest').mockRejectedValueOnce(new Error('SQLITE_IOERR: disk I/O error'));
    const sorry = await h.fake.sendCommand({ name: 'latest' }).reply();
    expect(sorry.content).toMatch(/^Sorry, something went wrong/);
    expect(isPrivate(sorry)).toBe(true);
    expect(sorry.content).not.toContain('SQLITE');
    const [line] = h.logsMatching(/interaction failed/);
    expect(line).toMatch(/ERROR interaction failed command=latest guild=\d+ user=\d+ error="SQLITE_IOERR: disk I\/O error"/);

    const after = await h.fake.sendCommand({ name: 'latest' }).reply();
    expect(after.embeds[0]?.description).toContain('Alita 2 news number 1');
    const quote = await h.fake.sendCommand({ name: 'quote', options: { person: 'rodriguez' } }).reply();
    expect(quote.embeds[0]?.title).toBe('Robert Rodriguez on the Alita sequel');
  });

  it('an unknown command gets the apology too, not silence', async () => {
    const reply = await h.fake.sendCommand({ name: 'trailer' }).reply();
    expect(reply.content).toMatch(/^Sorry, something went wrong/);
    expect(h.logsMatching(/interaction failed command=trailer .*unknown command/)).toHaveLength(1);
  });
});
