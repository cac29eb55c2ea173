// Forum channels: posts (a thread plus its first message), tags, and what Discord refuses.
import { ChannelType, Routes, type Client, type ForumChannel, type ThreadChannel } from 'discord.js';
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
  fake = await startFakeDiscord({
    guilds: [{
      name: 'Alita Army',
      channels: [
        { name: 'general' },
        { name: 'sequel-news', type: 15, tags: ['Casting', 'Trailer', { name: 'Official', moderated: true, emojiName: '✅' }, 'Rumor', 'Box office', 'Fan art'] },
        { name: 'strict-forum', type: 15, tags: ['Casting'], requireTag: true },
      ],
    }],
  });
  client = await loginTestClient(fake);
  const forum = client.channels.cache.get(fake.channelId('sequel-news')) as ForumChannel;
  return { fake, client, forum };
}

describe('forum channels', () => {
  it('carry available_tags in GUILD_CREATE, so discord.js knows them', async () => {
    const { fake, forum } = await setup();
    expect(forum.type).toBe(ChannelType.GuildForum);
    expect(forum.availableTags.map((t) => t.name)).toEqual(['Casting', 'Trailer', 'Official', 'Rumor', 'Box office', 'Fan art']);
    expect(forum.availableTags[2]).toEqual({ id: fake.tagId('sequel-news', 'Official'), name: 'Official', moderated: true, emoji: { id: null, name: '✅' } });
  });

  it('creates a post: a public thread (type 11) under the forum whose first message has the thread’s id', async () => {
    const { fake, client, forum } = await setup();
    const casting = fake.tagId('sequel-news', 'Casting');
    const thread = await forum.threads.create({ name: 'Rosa Salazar returns', message: { content: 'Confirmed!', embeds: [{ title: 'Source' }] }, appliedTags: [casting] });
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(forum.id);
    expect(thread.ownerId).toBe(client.user.id);
    expect(thread.appliedTags).toEqual([casting]);
    const [post] = fake.forumPosts(forum.id);
    expect(post).toMatchObject({ threadId: thread.id, name: 'Rosa Salazar returns', appliedTags: [casting] });
    expect(post?.message).toMatchObject({ id: thread.id, channel_id: thread.id, content: 'Confirmed!', embeds: [{ type: 'rich', title: 'Source' }] });
    // The bot can keep posting in its thread (Send Messages in Threads).
    await (client.channels.cache.get(thread.id) as ThreadChannel).send('Update: filming starts in June');
    expect(fake.messages(thread.id).map((m) => m.content)).toEqual(['Confirmed!', 'Update: filming starts in June']);
  });

  it('answers 201 with the thread channel and a nested message, as Discord documents', async () => {
    const { fake, client, forum } = await setup();
    const body = await client.rest.post(Routes.threads(forum.id), { body: { name: 'Trailer', message: { content: 'Watch it' } } }) as Record<string, unknown>;
    expect(fake.requests.at(-1)?.status).toBe(201);
    expect(body).toMatchObject({ type: 11, parent_id: forum.id, guild_id: fake.guild.id, name: 'Trailer', applied_tags: [], message_count: 0, member_count: 1 });
    expect(body.thread_metadata).toMatchObject({ archived: false, locked: false, auto_archive_duration: 4320 });
    expect(body.message).toMatchObject({ id: body.id, content: 'Watch it' });
  });

  it('refuses: empty or over-long names (50035), messages posted to the forum itself (40058), an empty first message (50006)', async () => {
    const { fake, client, forum } = await setup();
    const create = (body: Record<string, unknown>) => client.rest.post(Routes.threads(forum.id), { body });
    await expect(create({ name: '', message: { content: 'x' } })).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(create({ name: 'n'.repeat(101), message: { content: 'x' } })).rejects.toMatchObject({
      status: 400, code: 50035, rawError: { errors: { name: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' }] } } },
    });
    await expect(create({ name: 'no message' })).rejects.toMatchObject({ status: 400, code: 50035, rawError: { errors: { message: { _errors: [{ code: 'BASE_TYPE_REQUIRED' }] } } } });
    await expect(create({ name: 'empty', message: { content: '' } })).rejects.toMatchObject({ status: 400, code: 50006 });
    await expect(client.rest.post(Routes.channelMessages(forum.id), { body: { content: 'hi' } }))
      .rejects.toMatchObject({ status: 400, code: 40058, message: 'Cannot send a message in a forum channel' });
    expect(fake.rejected.map((r) => r.reasons[0])).toEqual([
      '/name must NOT have fewer than 1 characters', '/name must NOT have more than 100 characters',
      "/message must have required property 'message'", '/message Cannot send an empty message', 'Cannot send a message in a forum channel',
    ]);
    expect(fake.forumPosts(forum.id)).toEqual([]);
  });

  it('refuses unknown tag ids and more than 5 tags (50035), and no tag where the forum requires one (40067)', async () => {
    const { fake, client, forum } = await setup();
    const ids = ['Casting', 'Trailer', 'Official', 'Rumor', 'Box office', 'Fan art'].map((n) => fake.tagId('sequel-news', n));
    const create = (forumId: string, appliedTags: string[]) =>
      client.rest.post(Routes.threads(forumId), { body: { name: 'post', message: { content: 'x' }, applied_tags: appliedTags } });
    await expect(create(forum.id, [ids[0]!, '123'])).rejects.toMatchObject({ status: 400, code: 50035, rawError: { errors: { applied_tags: { 1: { _errors: [{ message: 'Unknown tag 123' }] } } } } });
    await expect(create(forum.id, ids)).rejects.toMatchObject({ status: 400, code: 50035, rawError: { errors: { applied_tags: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } } });
    const strict = fake.channelId('strict-forum');
    await expect(create(strict, [])).rejects.toMatchObject({ status: 400, code: 40067 });
    await create(strict, [fake.tagId('strict-forum', 'Casting')]);
    await create(forum.id, ids.slice(0, 5));
    expect(fake.forumPosts(forum.id).map((p) => p.appliedTags)).toEqual([ids.slice(0, 5)]);
    expect(fake.forumPosts(strict)).toHaveLength(1);
  });
});
