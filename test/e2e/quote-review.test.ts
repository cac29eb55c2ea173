/**
 * Quotes from the news end to end: the real bot and discord.js client against the fake Discord.
 * An announced story with a Cameron quotation → one candidate in that server's queue → approved
 * → /quote cameron can return it with its link; a rejected one never comes back; a member
 * without Manage Server cannot review.
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const asModerator = { memberPermissions: PermissionFlagsBits.ManageGuild };
type Row = { components: Array<{ custom_id: string; label: string }> };
const buttons = (message: { components?: unknown }) => ((message.components ?? []) as Row[]).flatMap((row) => row.components);
const button = (message: { components?: unknown }, label: string) => buttons(message).find((b) => b.label === label)!;
const text = (message: unknown) => JSON.stringify(message);

const cameron = sequel(1, {
  title: 'James Cameron on the Alita sequel',
  summary: '“We have the whole story of the second film ready to go,” Cameron told Empire this week.',
});
const rodriguez = sequel(2, {
  title: 'Robert Rodriguez on Alita 2',
  summary: 'Rodriguez was asked about Alita 2. “I would go back to Iron City tomorrow morning,” he said.',
});
// The same Cameron quotation from a later outlet: one candidate, the earliest source kept.
const cameronAgain = sequel(3, {
  title: 'Cameron: Alita 2 story is ready',
  link: 'https://other.example.com/cameron-alita-2',
  summary: 'Speaking about the Alita sequel, Cameron said: “We have the whole story of the second film ready to go.”',
});

describe('the quote review', () => {
  it('queues a quotation of an announced story; approved, /quote cameron shows it with its link', async () => {
    h = await startBotHarness();
    h.setFeed([cameron, rodriguez, cameronAgain]);
    await h.cycle();
    expect(h.titles().length).toBeGreaterThan(0);

    const refused = await h.fake.sendCommand({ name: 'quotes', subcommand: 'review' }).reply();
    expect(refused.content).toContain('Manage Server');
    expect(refused.components ?? []).toEqual([]);

    const first = await h.fake.sendCommand({ name: 'quotes', subcommand: 'review', ...asModerator }).reply();
    expect(first.flags).toBe(64);
    expect(text(first)).toContain('We have the whole story of the second film ready to go');
    expect(text(first)).toContain('James Cameron');
    expect(text(first)).toContain('(2 waiting)');
    // The earliest source of the two outlets.
    expect(text(first)).toContain(cameron.link);
    for (const b of buttons(first)) expect(b.custom_id.length).toBeLessThanOrEqual(100);

    // A member without Manage Server pressing the button changes nothing.
    const sneaky = await h.fake.pressButton({ channelId: first.channel_id, messageId: first.id, customId: button(first, 'Approve').custom_id }).reply();
    expect(text(sneaky)).toContain('Only members with Manage Server can review quotes.');

    const approved = await h.fake.pressButton({ channelId: first.channel_id, messageId: first.id, customId: button(first, 'Approve').custom_id, ...asModerator }).messageUpdate();
    expect(text(approved)).toContain('is now one of this server’s /quote quotes');
    expect(text(approved)).toContain('I would go back to Iron City tomorrow morning');
    expect(text(approved)).toContain('Robert Rodriguez');

    const shown = await h.fake.sendCommand({ name: 'quote', options: { person: 'cameron' } }).reply();
    const cameronQuote = (shown.embeds ?? []).map((e) => e.description ?? '').join('\n');
    // Bundled Cameron quotes exist too: ask until this one comes (random pick), at most a few times.
    let found = cameronQuote.includes('whole story of the second film');
    for (let i = 0; i < 30 && !found; i++) {
      const again = await h.fake.sendCommand({ name: 'quote', options: { person: 'cameron' } }).reply();
      const description = (again.embeds ?? []).map((e) => e.description ?? '').join('\n');
      if (description.includes('whole story of the second film')) {
        found = true;
        expect(description).toContain(cameron.link);
      }
    }
    expect(found || cameronQuote.includes(cameron.link!)).toBe(true);
    expect(h.fake.rejected).toEqual([]);
  });

  it('never proposes a rejected quotation again, and can be turned off', async () => {
    h = await startBotHarness();
    h.setFeed([rodriguez]);
    await h.cycle();
    const first = await h.fake.sendCommand({ name: 'quotes', subcommand: 'review', ...asModerator }).reply();
    expect(text(first)).toContain('I would go back to Iron City tomorrow morning');
    // Fixing the speaker keeps the candidate and names the other person.
    const fixed = await h.fake.pressButton({ channelId: first.channel_id, messageId: first.id, customId: button(first, 'Said by Jon Landau').custom_id, ...asModerator }).messageUpdate();
    expect(text(fixed)).toContain('Speaker changed to Jon Landau.');
    expect(text(fixed)).toContain('**Jon Landau**');
    const rejected = await h.fake.pressButton({ channelId: first.channel_id, messageId: first.id, customId: button(fixed, 'Reject').custom_id, ...asModerator }).messageUpdate();
    expect(text(rejected)).toContain('Rejected: it will not be proposed again.');
    expect(text(rejected)).toContain('No quotations are waiting for review.');

    // The same quotation from another outlet, later: still not proposed.
    h.setFeed([rodriguez, sequel(4, { title: 'Rodriguez again on Alita 2', summary: 'Rodriguez was asked about Alita 2. “I would go back to Iron City tomorrow morning,” he said.' })]);
    await h.cycle();
    const after = await h.fake.sendCommand({ name: 'quotes', subcommand: 'review', ...asModerator }).reply();
    expect(text(after)).toContain('No quotations are waiting for review.');

    const off = await h.fake.sendCommand({ name: 'quotes', subcommand: 'queue', options: { on: false }, ...asModerator }).reply();
    expect(off.content).toContain('No more quotations will be proposed here.');
    h.setFeed([sequel(5, { title: 'Cameron on Alita 2 again', summary: '“The second film is the best script I have read in years,” Cameron said.' })]);
    await h.cycle();
    const none = await h.fake.sendCommand({ name: 'quotes', subcommand: 'review', ...asModerator }).reply();
    expect(none.content).toContain('The review queue is off in this server');
    expect(h.fake.rejected).toEqual([]);
  });
});
