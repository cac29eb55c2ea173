import { describe, expect, it } from 'vitest';
import { ConfigError, loadBotConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';

describe('configuration', () => {
  it('has working defaults: console mode, SQLite, every minute', () => {
    expect(loadBotConfig({})).toMatchObject({ KEYV_URL: 'sqlite://alita-army.sqlite', POLL_CRON: '* * * * *', BACKFILL: 0, ALLOW_PRIVATE_FEEDS: false, LOG_LEVEL: 'info' });
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
      KEYV_URL: 'sqlite:///var/lib/alita/bot.sqlite',
    });
    expect(config.FEEDS).toEqual(['https://a.example/rss', 'data/sample-feeds/alita-news.xml']);
    expect(config.PING_ROLE_ID).toBeUndefined();
    expect(config.ALLOW_PRIVATE_FEEDS).toBe(true);
    expect(config.POLL_CRON).toBe('*/30 * * * * *');
  });

  it.each([
    ['POLL_CRON', 'every minute', /^POLL_CRON: .*cron/],
    ['BACKFILL', '-1', /^BACKFILL: /],
    ['ANNOUNCE_CHANNEL_ID', '#news', /^ANNOUNCE_CHANNEL_ID: must be a Discord id/],
    ['KEYV_URL', 'mysql://x', /^KEYV_URL: /],
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

  it('never writes the token into a log line', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l), secrets: ['MTIzNDU2.secret-token'] });
    logger.error('login failed with MTIzNDU2.secret-token', { header: 'Bot MTIzNDU2.secret-token' });
    expect(lines.join('\n')).not.toContain('secret-token');
    expect(lines[0]).toContain('[redacted]');
  });
});
