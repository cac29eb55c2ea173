// Editing the bot's messages (PATCH /channels/{id}/messages/{id}) and reading their current state.
import { MessageFlags, Routes, type Client, type TextChannel } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loginTestClient } from './client.ts';
import { startFakeDiscord, type FakeDiscord } from './server.ts';

let fake: FakeDiscord | undefined;
let client: Client<true> | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

async function setup() {
  fake = await startFakeDiscord({ guilds: [{ name: 'Alita Army', channels: [{ name: 'news' }, { name: 'updates', type: 5 }] }] });
  client = await loginTestClient(fake);
  return { fake, client, news: client.channels.cache.get(fake.channelId('news')) as TextChannel };
}

describe('message edits', () => {
  it('keep the id, set edited_timestamp, change only what the body names; tests see the state and the edit count', async () => {
    const { fake, news } = await setup();
    const sent = await news.send({ content: 'Alita 2: rumor', embeds: [{ title: 'Rumor' }] });
    expect(fake.message(news.id, sent.id)?.edited_timestamp).toBeNull();
    const edited = await sent.edit({ content: 'Alita 2: confirmed' });
    expect(edited.id).toBe(sent.id);
    expect(edited.editedTimestamp).not.toBeNull();
    await edited.edit({ embeds: [{ title: 'Confirmed' }] });
    const now = fake.message(news.id, sent.id)!;
    expect(now).toMatchObject({ id: sent.id, content: 'Alita 2: confirmed', embeds: [{ type: 'rich', title: 'Confirmed' }] });
    expect(Date.parse(now.edited_timestamp!)).toBeGreaterThanOrEqual(Date.parse(now.timestamp));
    expect(fake.editCount(sent.id)).toBe(2);
    expect(fake.messageEdits(sent.id).map((b) => b.content)).toEqual(['Alita 2: confirmed', undefined]);
    expect(fake.messages(news.id)).toHaveLength(1);
  });

  it('refuse another user’s message with 403 50005, and invalid bodies with 50035; neither counts as an edit', async () => {
    const { fake, client, news } = await setup();
    const theirs = fake.postAsUser(news.id, { content: 'a member wrote this' });
    await expect(client.rest.patch(Routes.channelMessage(news.id, theirs.id), { body: { content: 'bot edit' } }))
      .rejects.toMatchObject({ status: 403, code: 50005, message: 'Cannot edit a message authored by another user' });
    const own = await news.send('short');
    await expect(own.edit({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(client.rest.patch(Routes.channelMessage(news.id, '1'), { body: { content: 'x' } })).rejects.toMatchObject({ status: 404, code: 10008 });
    expect(fake.message(news.id, theirs.id)?.content).toBe('a member wrote this');
    expect([fake.editCount(theirs.id), fake.editCount(own.id)]).toEqual([0, 0]);
    // Messages of others are in the channel, but not among what the bot posted.
    expect(fake.messages(news.id).map((m) => m.id)).toEqual([own.id]);
  });

  it('may toggle SUPPRESS_EMBEDS only; other flags (e.g. CROSSPOSTED) stay', async () => {
    const { fake, client } = await setup();
    const updates = fake.channelId('updates');
    const posted = await client.rest.post(Routes.channelMessages(updates), { body: { content: 'news' } }) as { id: string };
    await client.rest.post(Routes.channelMessageCrosspost(updates, posted.id));
    await client.rest.patch(Routes.channelMessage(updates, posted.id), { body: { flags: MessageFlags.SuppressEmbeds | MessageFlags.Urgent } });
    expect(fake.message(updates, posted.id)?.flags).toBe(MessageFlags.Crossposted | MessageFlags.SuppressEmbeds);
    await client.rest.patch(Routes.channelMessage(updates, posted.id), { body: { flags: 0 } });
    expect(fake.message(updates, posted.id)?.flags).toBe(MessageFlags.Crossposted);
  });
});
