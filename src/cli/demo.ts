/**
 * `npm run demo`: offline and one-shot. Serves the bundled sample feeds on 127.0.0.1, runs one
 * poll in console mode with backfill so the sample news is announced, answers /latest and
 * /quote cameron, and exits.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { allCommands } from '../app/commands.ts';
import { createBotContext } from '../bot/create-context.ts';
import { runCycle } from '../bot/cycle.ts';
import { loadBotConfig } from '../config.ts';
import { CONSOLE_CHANNEL, consolePort } from '../console/console.ts';
import { CONSOLE_GUILD, runConsoleCommand } from '../console/commands.ts';
import { renderReply } from '../console/render.ts';
import { createLogger } from '../log.ts';
import { openStores } from '../store/sql/index.ts';
import { readQuotesFile } from '../store/quotes.ts';
import { dataFile } from '../data-dir.ts';

const SAMPLES = fileURLToPath(dataFile('sample-feeds/'));

async function main(): Promise<void> {
  const files = readdirSync(SAMPLES).filter((f) => /\.(xml|atom|rss)$/.test(f));
  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1));
    if (!files.includes(name)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': name.endsWith('.atom') ? 'application/atom+xml' : 'application/rss+xml' }).end(readFileSync(join(SAMPLES, name)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'alita-demo-'));
  const out = process.stdout;
  try {
    const config = loadBotConfig({ FEEDS: files.map((f) => `${base}/${f}`).join(','), DATABASE_URL: `sqlite://${join(dir, 'demo.sqlite')}`, BACKFILL: '10' });
    const logger = createLogger({ level: 'warn' });
    const stores = await openStores(config.DATABASE_URL, logger);
    const ctx = createBotContext({ config, stores, logger });
    await ctx.quotes.seed(readQuotesFile());
    out.write(`Alita Army news bot — demo (console mode, sample feeds served on ${base})\n\n`);
    const result = await runCycle({ ctx, port: consolePort(out), defaultChannel: CONSOLE_CHANNEL, defaultGuild: CONSOLE_GUILD });
    out.write(`Polled ${result.feeds} feeds: ${result.announced} on-topic items announced, off-topic items skipped.\n\n`);
    const commands = new Map(allCommands.map((c) => [c.data.name, c]));
    for (const line of ['/latest', '/quote cameron']) {
      out.write(`> ${line}\n${renderReply(await runConsoleCommand(line, commands, ctx))}\n\n`);
    }
    out.write('Next: `npm start` runs the bot on your feeds (console mode without DISCORD_TOKEN); see README, "Going live".\n');
    await stores.close();
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
