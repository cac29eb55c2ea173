import type { Readable, Writable } from 'node:stream';
import type Keyv from 'keyv';
import type { BotConfig } from '../config.ts';
import { CONSOLE_CHANNEL, consolePort, startConsoleCommands } from '../console/console.ts';
import { startDiscord, type DiscordBot } from '../discord/client.ts';
import type { Logger } from '../log.ts';
import { readQuotesFile } from '../store/quotes.ts';
import type { Command } from './command.ts';
import type { BotContext } from './context.ts';
import { createBotContext, type ContextOptions } from './create-context.ts';
import { runCycle } from './cycle.ts';
import { startScheduler, type Scheduler } from './scheduler.ts';

export interface RunningBot {
  ctx: BotContext;
  scheduler: Scheduler;
  discord?: DiscordBot;
  /** Finishes or abandons the cycle in flight, then closes Discord and the store. */
  stop(): Promise<void>;
}

export interface RunOptions extends Omit<ContextOptions, 'config' | 'keyv' | 'logger'> {
  config: BotConfig;
  keyv: Keyv;
  logger: Logger;
  commands: Command[];
  /** Console mode's terminal (stdin/stdout by default). */
  input?: Readable;
  output?: Writable;
  discordClientOptions?: Parameters<typeof startDiscord>[2]['client'];
}

/**
 * Starts the bot: with DISCORD_TOKEN it connects to Discord, without it it runs in console
 * mode (announcements printed, commands read from the terminal). Polls once at once, then on
 * POLL_CRON.
 */
export async function runBot(options: RunOptions): Promise<RunningBot> {
  const { config, keyv, logger, commands } = options;
  const ctx = createBotContext(options);
  const seeded = await ctx.quotes.seed(readQuotesFile());
  if (seeded > 0) logger.info('quotes seeded', { added: seeded });
  const output = options.output ?? process.stdout;
  let discord: DiscordBot | undefined;
  if (config.DISCORD_TOKEN) {
    discord = await startDiscord(ctx, commands, { token: config.DISCORD_TOKEN, ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}), ...(options.discordClientOptions ? { client: options.discordClientOptions } : {}) });
  } else {
    logger.info('no DISCORD_TOKEN: console mode. Type /latest, /quote cameron, /status …');
    void startConsoleCommands(options.input ?? process.stdin, output, commands, ctx);
  }
  const port = discord?.port ?? consolePort(output);
  const cycle = async () => {
    const result = await runCycle({ ctx, port, ...(discord ? { guildOfChannel: discord.guildOfChannel } : { defaultChannel: CONSOLE_CHANNEL }) });
    logger.info('poll finished', { feeds: result.feeds, failed: result.failed, new: result.announced, sent: result.delivery.sent, retrying: result.delivery.retrying });
  };
  const scheduler = startScheduler(config.POLL_CRON, cycle, logger);
  void scheduler.runNow();
  return {
    ctx,
    scheduler,
    ...(discord ? { discord } : {}),
    async stop() {
      await scheduler.stop();
      await discord?.destroy();
      await keyv.disconnect();
    },
  };
}
