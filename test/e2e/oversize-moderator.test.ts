// /feeds, /quotes and /setup through the real bot and the fake Discord, with the largest and most
// markdown-heavy input they accept: Discord must take every reply (no "Sorry…"), a long list ends
// in whole lines with "…and N more", and nothing in a reply pings.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS } from '../../commands/quotes.ts';
import { MODERATOR_PERMISSIONS } from '../fake-discord/server.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { accepted, heavy } from '../support/oversize.ts';

let h: BotHarness;
const asModerator = { memberPermissions: MODERATOR_PERMISSIONS };

beforeEach(async () => {
  h = await startBotHarness();
});

afterEach(async () => {
  await h?.close();
});

describe('oversize moderator replies', () => {
  it('/feeds list with the most feeds a server may have, ~1,000-character URLs and long errors: whole lines, then how many more', async () => {
    const { ctx } = h.bot;
    const limit = ctx.config.MAX_FEEDS_PER_SERVER;
    const now = ctx.clock().toISOString();
    for (let i = 0; i < limit; i++) {
      const url = `https://feeds${i}.example.org/${'x'.repeat(970)}`;
      expect(await ctx.settings.addGuildFeed({ guildId: h.fake.guild.id, url, addedAt: now, addedBy: h.fake.world.defaultUser.id }, limit)).toBe('added');
      await ctx.news.setFeedState(url, { lastAttempt: now, consecutiveFailures: 3, lastError: heavy(2000) });
    }
    const reply = await accepted(h.fake.sendCommand({ name: 'feeds', subcommand: 'list', ...asModerator }));
    const lines = reply.content!.split('\n');
    const entries = lines.filter((l) => l.startsWith('• '));
    // Each entry whole: its address (shown to 400 characters), who added it, and its health with the error in a closed code span.
    for (const line of entries.slice(1)) expect(line).toMatch(/^• <https:\/\/feeds\d+\.example\.org\/x+…>, added by <@\d+> \d+ \w+ \d{4} — ⚠️ 3 failures in a row, never read: `[^`]+`$/u);
    expect(lines.at(-1)).toBe(`…and ${limit + 1 - entries.length} more`);
  });

  it('/feeds add and remove echo a 1,000-character address within the limits', async () => {
    const url = `${h.feedServer.url}/${heavy(1000 - h.feedServer.url.length - 1, 'alita_(2)*~|`[]<>@everyone ')}`;
    const refused = await accepted(h.fake.sendCommand({ name: 'feeds', subcommand: 'add', options: { url }, ...asModerator }));
    expect(refused.content).toMatch(/^Could not add <http:\/\/127\.0\.0\.1:\d+\/[^\s<>]+>: `[^`]+`$/);
    const unknown = await accepted(h.fake.sendCommand({ name: 'feeds', subcommand: 'remove', options: { url }, ...asModerator }));
    expect(unknown.content).toMatch(/^<[^\s<>]+> is not one of this server's feeds\. \/feeds list shows them\.$/);
  });

  it('/quotes add with every option at its maximum, then /quotes remove, echo it within the limits', async () => {
    const addresses = { plain: `https://example.com/${heavy(LIMITS.sourceUrl - 20)}`, encoded: `https://example.com/${'😀'.repeat(LIMITS.sourceUrl - 20)}` };
    for (const [name, sourceUrl] of Object.entries(addresses)) {
      const options = {
        speaker: `${name} ${heavy(LIMITS.speaker - name.length - 1)}`,
        text: heavy(LIMITS.text),
        source_url: sourceUrl,
        date: '2023-10-04',
        source_title: heavy(LIMITS.sourceTitle),
        context: heavy(LIMITS.context),
      };
      const added = await accepted(h.fake.sendCommand({ name: 'quotes', subcommand: 'add', options, ...asModerator }));
      expect(added.content).toMatch(/^Added quote `([^`]+)`:\n“.+” — \*\*.+\*\*, 4 Oct 2023\nSource: .+ <https:\/\/example\.com\/[^\s<>]+>\n\/quote shows it in this server from now on\.$/su);
      const id = /`([^`]+)`/.exec(added.content!)![1]!;
      const removed = await accepted(h.fake.sendCommand({ name: 'quotes', subcommand: 'remove', options: { id }, ...asModerator }));
      expect(removed.content).toMatch(new RegExp(`^Removed this server's quote \`${id}\` \\(.+\\)\\.$`, 'su'));
    }
    expect(await h.bot.ctx.quotes.forGuild(h.fake.guild.id)).toEqual(await h.bot.ctx.quotes.forGuild());
    const unknown = await accepted(h.fake.sendCommand({ name: 'quotes', subcommand: 'remove', options: { id: heavy(100) }, ...asModerator }));
    expect(unknown.content).toMatch(/^`[^`]+` is not one of this server's quotes\./);
  });

  it('/setup with a role names the role in its reply without pinging it', async () => {
    const general = h.fake.channelId('general');
    const roleId = h.fake.roleId('Sequel News');
    const reply = await accepted(h.fake.sendCommand({ name: 'setup', options: { channel: general, role: roleId }, ...asModerator }));
    expect(reply.content).toContain(`pinging <@&${roleId}>.`);
  });
});
