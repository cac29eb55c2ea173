import { describe, expect, it } from 'vitest';
import { ConfigError, databaseUrlWarning, loadBotConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';

describe('configuration', () => {
  it('has working defaults: console mode, SQLite, every minute', () => {
    expect(loadBotConfig({})).toMatchObject({ DATABASE_URL: 'sqlite://alita-army.sqlite', POLL_CRON: '* * * * *', BACKFILL: 0, ALLOW_PRIVATE_FEEDS: false, LOG_LEVEL: 'info', MAX_FEEDS_PER_SERVER: 25, MAX_QUOTES: 1000, MAX_ANNOUNCEMENTS_PER_POLL: 5 });
    expect(loadBotConfig({}).DISCORD_TOKEN).toBeUndefined();
  });

  it('reads every key, blank values counting as unset', () => {
    const config = loadBotConfig({
      DISCORD_TOKEN: 'abc.def',
      DISCORD_CLIENT_ID: '111111111111111111',
      ANNOUNCE_CHANNEL_ID: '222222222222222222',
      PING_ROLE_ID: '',
      FEEDS: 'https://a.example/rss, data/sample-feeds/alita-news.xml,',
      POLL_CRON: '*/30 * * * * *',
      ALLOW_PRIVATE_FEEDS: 'true',
      DISCORD_API_URL: 'http://127.0.0.1:9999/api',
      DATABASE_URL: 'postgres://alita:s3cret@db.example.org:5432/alita',
      MAX_FEEDS_PER_SERVER: '3',
    });
    expect(config.DATABASE_URL).toBe('postgres://alita:s3cret@db.example.org:5432/alita');
    expect(config.MAX_FEEDS_PER_SERVER).toBe(3);
    expect(config.FEEDS).toEqual(['https://a.example/rss', 'data/sample-feeds/alita-news.xml']);
    expect(config.PING_ROLE_ID).toBeUndefined();
    expect(config.ALLOW_PRIVATE_FEEDS).toBe(true);
    expect(config.POLL_CRON).toBe('*/30 * * * * *');
  });

  it.each([
    ['POLL_CRON', 'every minute', /^POLL_CRON: .*cron/],
    ['BACKFILL', '-1', /^BACKFILL: /],
    ['ANNOUNCE_CHANNEL_ID', '#news', /^ANNOUNCE_CHANNEL_ID: must be a Discord id/],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL: /],
    ['KEYV_URL', 'mysql://x', /^KEYV_URL: /],
    ['KEYV_URL', 'redis://127.0.0.1:6379', /^KEYV_URL: Redis is no longer supported: use postgres:/],
    ['MAX_FEEDS_PER_SERVER', '0', /^MAX_FEEDS_PER_SERVER: /],
    ['MAX_QUOTES', 'many', /^MAX_QUOTES: /],
    ['MAX_ANNOUNCEMENTS_PER_POLL', '500', /^MAX_ANNOUNCEMENTS_PER_POLL: /],
    ['ALLOW_PRIVATE_FEEDS', 'maybe', /^ALLOW_PRIVATE_FEEDS: /],
    ['DISCORD_API_URL', 'ftp://x', /^DISCORD_API_URL: /],
  ])('stops with one line naming %s when it is wrong', (key, value, message) => {
    const error = (() => {
      try {
        loadBotConfig({ [key]: value });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('takes KEYV_URL as DATABASE_URL\'s old name; DATABASE_URL wins, with a warning when they differ', () => {
    expect(loadBotConfig({ KEYV_URL: 'sqlite://old.sqlite' }).DATABASE_URL).toBe('sqlite://old.sqlite');
    expect(loadBotConfig({ KEYV_URL: 'sqlite://old.sqlite', DATABASE_URL: 'sqlite://new.sqlite' }).DATABASE_URL).toBe('sqlite://new.sqlite');
    expect(databaseUrlWarning({ KEYV_URL: 'sqlite://old.sqlite', DATABASE_URL: 'sqlite://new.sqlite' })).toMatch(/DATABASE_URL and KEYV_URL .* differ: using DATABASE_URL/);
    expect(databaseUrlWarning({ KEYV_URL: 'sqlite://same.sqlite', DATABASE_URL: 'sqlite://same.sqlite' })).toBeUndefined();
    expect(databaseUrlWarning({ KEYV_URL: 'sqlite://old.sqlite' })).toBeUndefined();
  });

  it('never shows a database password in a configuration error', () => {
    const error = (() => {
      try {
        loadBotConfig({ DATABASE_URL: 'mysql://alita:hunter2@db/x' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^DATABASE_URL: /);
    expect(error?.message).not.toContain('hunter2');
  });

  it('never writes the token into a log line', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), secrets: ['MTIzNDU2.secret-token'] });
    logger.error('login failed with MTIzNDU2.secret-token', { header: 'Bot MTIzNDU2.secret-token' });
    expect(lines.join('\n')).not.toContain('secret-token');
    expect(lines[0]).toContain('[redacted]');
  });
});
