import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deployCommands } from '../src/cli/deploy-commands.ts';
import { ConfigError, loadBotConfig } from '../src/config.ts';
import { startFakeDiscord, type FakeDiscord } from './fake-discord/server.ts';

let fake: FakeDiscord;
beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(() => fake.close());

const config = (extra: Record<string, string> = {}) =>
  loadBotConfig({ DISCORD_TOKEN: 'test-token', DISCORD_CLIENT_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl, ...extra });

describe('npm run deploy-commands', () => {
  it('registers every command in DISCORD_GUILD_ID when set, as Discord accepts them', async () => {
    const message = await deployCommands(config({ DISCORD_GUILD_ID: fake.guild.id }));
    expect(message).toMatch(/^Registered 7 commands in server/);
    expect(fake.rejected).toEqual([]);
    const registered = fake.commands(fake.guild.id);
    expect(registered.map((c) => c.name).sort()).toEqual(['feeds', 'help', 'latest', 'quote', 'quotes', 'setup', 'status']);
    const moderator = registered.filter((c) => ['feeds', 'quotes', 'setup'].includes(c.name));
    expect(moderator.map((c) => c.default_member_permissions)).toEqual(['32', '32', '32']);
    expect(fake.commands()).toEqual([]);
  });

  it('registers globally otherwise', async () => {
    expect(await deployCommands(config())).toMatch(/globally/);
    expect(fake.commands()).toHaveLength(7);
  });

  it('names the missing key', async () => {
    await expect(deployCommands(loadBotConfig({ DISCORD_TOKEN: 'x' }))).rejects.toThrow(ConfigError);
    await expect(deployCommands(loadBotConfig({ DISCORD_TOKEN: 'x' }))).rejects.toThrow(/^DISCORD_CLIENT_ID: /);
  });
});
