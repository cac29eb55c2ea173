/** `alita-news deploy-commands` (or `npm run deploy-commands`): registers the slash commands, in DISCORD_GUILD_ID when set (instant), else globally. */
import { REST, Routes } from 'discord.js';
import { allCommands } from '../app/commands.ts';
import { ConfigError, loadBotConfig, loadDotEnv, type BotConfig } from '../config.ts';

export async function deployCommands(config: BotConfig): Promise<string> {
  if (!config.DISCORD_TOKEN) throw new ConfigError('DISCORD_TOKEN: is required to register commands');
  if (!config.DISCORD_CLIENT_ID) throw new ConfigError('DISCORD_CLIENT_ID: is required to register commands (the application id, from the Developer Portal)');
  const rest = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}) }).setToken(config.DISCORD_TOKEN);
  const body = allCommands.map((c) => c.data.toJSON());
  const route = config.DISCORD_GUILD_ID ? Routes.applicationGuildCommands(config.DISCORD_CLIENT_ID, config.DISCORD_GUILD_ID) : Routes.applicationCommands(config.DISCORD_CLIENT_ID);
  await rest.put(route, { body });
  return config.DISCORD_GUILD_ID
    ? `Registered ${body.length} commands in server ${config.DISCORD_GUILD_ID} (available now).`
    : `Registered ${body.length} commands globally (Discord may take up to an hour to show them everywhere).`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  loadDotEnv();
  deployCommands(loadBotConfig()).then(
    (message) => process.stdout.write(`${message}\n`),
    (error: unknown) => {
      process.stderr.write(`deploy-commands: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
