/** `npm start`: the bot, with Discord when DISCORD_TOKEN is set, else in console mode. */
import { allCommands } from './app/commands.ts';
import { runBot, type RunningBot } from './app/run.ts';
import { ConfigError, databaseSetting, databaseUrlWarning, loadBotConfig, loadDotEnv } from './config.ts';
import { createLogger, maskSecrets } from './log.ts';
import { openStores } from './store/sql/index.ts';

const STOP_DEADLINE_MS = 9_000;

/**
 * The last line when start-up fails: plain `fatal: …` (what operators and supervisors look for),
 * or a JSON object once LOG_FORMAT=json is known; the token masked either way.
 */
let reportFatal: (message: string) => void = (message) => void process.stderr.write(`fatal: ${message}\n`);

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
  const secrets = [config.DISCORD_TOKEN];
  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT, secrets });
  reportFatal = config.LOG_FORMAT === 'json' ? (message) => logger.error(`fatal: ${message}`) : (message) => void process.stderr.write(`fatal: ${maskSecrets(message, secrets)}\n`);
  let bot: RunningBot | undefined;
  let stopping = false;
  const shutdown = (running: RunningBot) =>
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error: error instanceof Error ? error.message : String(error) });
        process.exit(0);
      },
    );
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    // Whatever happens, be gone before a supervisor's kill timeout.
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
    // A signal during start-up stops the bot as soon as it is up (or at the deadline).
    if (bot) void shutdown(bot);
  };
  // A stray rejection in one handler must not take the whole bot down (Node 20 exits on it).
  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason) }));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const warning = databaseUrlWarning();
  if (warning) logger.warn(warning);
  // Migrations are applied here; a database newer than this code stops the bot with one line.
  const stores = await openStores(config.DATABASE_URL, logger, { setting: databaseSetting() });
  bot = await runBot({ config, stores, logger, commands: allCommands });
  if (stopping) void shutdown(bot);
}

main().catch((error: unknown) => {
  reportFatal(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
