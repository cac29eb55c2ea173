/**
 * Forum channels end to end: the real bot and discord.js client against the fake Discord. Each
 * story becomes a post named after its title (cut to 100 characters at a word) with the story as
 * its first message, tagged "News" or "Reddit" when the forum has that tag. (A send repeated
 * after a crash: test/crash/kill-points.test.ts.)
 */
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { sequel, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

let h: BotHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const forumGuild = { guilds: [{ name: 'Alita Army', channels: [{ name: 'news' }, { name: 'sequel-news', type: 15, tags: ['News', 'Reddit', 'Fan art'] }] }] };

async function setupForum(harness: BotHarness): Promise<string> {
  const forum = harness.fake.channelId('sequel-news');
  const reply = await harness.fake.sendCommand({ name: 'setup', options: { channel: forum }, memberPermissions: PermissionFlagsBits.ManageGuild }).reply();
  expect(JSON.stringify(reply)).toContain('It is a forum: each story becomes a post');
  return forum;
}

describe('announcements in a forum channel', () => {
  it('makes one post per story, named after it and tagged by its source', async () => {
    h = await startBotHarness({ fake: forumGuild });
    const forum = await setupForum(h);
    const long = `Alita 2: ${'Rodriguez talks about the sequel again '.repeat(4)}`;
    h.setFeed([sequel(1, { title: 'Alita 2 news number 1 (updated)' }), sequel(2, { title: long }), sequel(3, { link: 'https://www.reddit.com/r/alitabattleangel/comments/abc/sequel_news/' })]);
    await h.cycle();
    const posts = h.fake.forumPosts(forum);
    expect(posts.map((p) => p.name)).toEqual(['Alita 2 news number 1 (updated)', expect.stringMatching(/^Alita 2: Rodriguez talks about the sequel again .*…$/), 'Alita 2 news number 3']);
    expect(posts[1]!.name.length).toBeLessThanOrEqual(100);
    expect(posts.map((p) => p.appliedTags)).toEqual([[h.fake.tagId(forum, 'News')], [h.fake.tagId(forum, 'News')], [h.fake.tagId(forum, 'Reddit')]]);
    expect(posts.every((p) => (p.message?.embeds as unknown[] | undefined)?.length === 1)).toBe(true);
    expect(h.fake.messages(h.newsId)).toEqual([]);
    expect(h.fake.rejected).toEqual([]);
  });
});
