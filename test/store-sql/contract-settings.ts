/** Settings, servers' feeds and the last poll on any engine. */
import { describe, expect, it } from 'vitest';
import { freshStores, type Engine } from './fixtures.ts';

export function settingsContract(engine: () => Engine): void {
  describe('settings', () => {
    const current = freshStores(engine);

    it('upserts, reads and removes server settings, extras included', async () => {
      const { settings } = current().stores;
      await settings.setGuild({ guildId: 'g1', channelId: 'c1', roleId: 'r1', updatedAt: 't1', updatedBy: 'u1' });
      await settings.setGuild({ guildId: 'g2', channelId: 'c2', updatedAt: 't1', extra: { digest: true, max: 3 } });
      await settings.setGuild({ guildId: 'g1', channelId: 'c9', updatedAt: 't2' });
      expect(await settings.guild('g1')).toEqual({ guildId: 'g1', channelId: 'c9', updatedAt: 't2' });
      expect(await settings.guild('g2')).toEqual({ guildId: 'g2', channelId: 'c2', updatedAt: 't1', extra: { digest: true, max: 3 } });
      expect((await settings.guilds()).map((g) => g.guildId)).toEqual(['g1', 'g2']);
      expect(await settings.removeGuild('g1')).toBe(true);
      expect(await settings.removeGuild('g1')).toBe(false);
      expect(await settings.guild('g1')).toBeUndefined();
    });

    it('keeps a server\'s publish and button choices: on, off, or the default when never chosen', async () => {
      const { settings } = current().stores;
      await settings.setGuild({ guildId: 'g1', channelId: 'c1', publish: false, updatedAt: 't1' });
      await settings.setGuild({ guildId: 'g2', channelId: 'c2', publish: true, updatedAt: 't1' });
      await settings.setGuild({ guildId: 'g3', channelId: 'c3', updatedAt: 't1' });
      expect((await settings.guilds()).map((g) => [g.guildId, g.publish])).toEqual([['g1', false], ['g2', true], ['g3', undefined]]);
      expect(await settings.guild('g3')).not.toHaveProperty('publish');
      await settings.setGuild({ guildId: 'g4', channelId: 'c4', roleId: 'r4', notifyButton: false, updatedAt: 't1' });
      expect(await settings.guild('g4')).toEqual({ guildId: 'g4', channelId: 'c4', roleId: 'r4', notifyButton: false, updatedAt: 't1' });
      expect(await settings.guild('g3')).not.toHaveProperty('notifyButton');
      await settings.setGuild({ guildId: 'g5', channelId: 'c5', digestHour: 0, updatedAt: 't1' });
      expect(await settings.guild('g5')).toEqual({ guildId: 'g5', channelId: 'c5', digestHour: 0, updatedAt: 't1' });
      expect(await settings.guild('g3')).not.toHaveProperty('digestHour');
    });

    it('adds a server feed once, within the limit, and removes it', async () => {
      const { settings } = current().stores;
      const feed = (guildId: string, n: number) => ({ guildId, url: `https://f.example/${n}`, addedAt: `2025-01-0${n}`, addedBy: 'mod' });
      expect(await settings.addGuildFeed(feed('g1', 1), 2)).toBe('added');
      expect(await settings.addGuildFeed(feed('g1', 1), 2)).toBe('exists');
      expect(await settings.addGuildFeed(feed('g1', 2), 2)).toBe('added');
      expect(await settings.addGuildFeed(feed('g1', 3), 2)).toBe('limit');
      // The limit is per server.
      expect(await settings.addGuildFeed(feed('g2', 3), 2)).toBe('added');
      expect((await settings.guildFeeds('g1')).map((f) => f.url)).toEqual(['https://f.example/1', 'https://f.example/2']);
      expect(await settings.allGuildFeeds()).toEqual([feed('g1', 1), feed('g1', 2), feed('g2', 3)]);
      expect(await settings.removeGuildFeed('g2', 'https://f.example/1')).toBe(false);
      expect(await settings.removeGuildFeed('g1', 'https://f.example/1')).toBe(true);
      expect(await settings.addGuildFeed(feed('g1', 3), 2)).toBe('added');
    });

    it('keeps whether a server declared its feed about Alita', async () => {
      const { settings } = current().stores;
      await settings.addGuildFeed({ guildId: 'g1', url: 'https://fans.example/feed', addedAt: 't1', aboutAlita: true }, 5);
      await settings.addGuildFeed({ guildId: 'g1', url: 'https://news.example/feed', addedAt: 't2' }, 5);
      expect(await settings.guildFeeds('g1')).toEqual([
        { guildId: 'g1', url: 'https://fans.example/feed', addedAt: 't1', aboutAlita: true },
        { guildId: 'g1', url: 'https://news.example/feed', addedAt: 't2' },
      ]);
    });

    it('keeps the last poll', async () => {
      const { settings } = current().stores;
      expect(await settings.lastPoll()).toBeUndefined();
      await settings.setLastPoll({ at: 't1', feeds: 3, failed: 1, announced: 2 });
      await settings.setLastPoll({ at: 't2', feeds: 4, failed: 0, announced: 0 });
      expect(await settings.lastPoll()).toEqual({ at: 't2', feeds: 4, failed: 0, announced: 0 });
    });
  });
}
