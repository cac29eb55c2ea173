/** `npm start`: the bot, with Discord when DISCORD_TOKEN is set, else in console mode. */
import { allCommands } from './bot/commands.ts';
import { runBot } from './bot/run.ts';
import { ConfigError, loadBotConfig, loadDotEnv } from './config.ts';
import { createLogger } from './log.ts';
import { openKeyv } from './store/open.ts';

const STOP_DEADLINE_MS = 9_000;

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadBotConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: [config.DISCORD_TOKEN] });
  const keyv = await openKeyv(config.KEYV_URL, logger);
  const bot = await runBot({ config, keyv, logger, commands: allCommands });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // Whatever happens, be gone before a supervisor's kill timeout.
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error: error instanceof Error ? error.message : String(error) });
        process.exit(0);
      },
    );
  };
  // A stray rejection in one handler must not take the whole bot down (Node 20 exits on it).
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason) }));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
