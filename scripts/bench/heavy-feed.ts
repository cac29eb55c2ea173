/**
 * Benchmark 5: one heavy but legal feed — 110,000 tiny items, ~4.6 MB — polled by the bot as
 * `npm start` runs it (its own process, npm start's V8 flags, the fake Discord), while /latest is
 * sent every 250 ms whatever the bot is doing. Reports when each command was acknowledged, whether
 * all were within Discord's 3 s, and the process's peak RSS over a cold poll and later ones.
 */
import { deployCommands } from '../../src/cli/deploy-commands.ts';
import { loadBotConfig } from '../../src/config.ts';
import { startFakeDiscord } from '../../test/fake-discord/server.ts';
import { botEnv, startBotProcess, type BotProcess } from '../../test/support/bot-process.ts';
import { build } from '../../test/support/build.ts';
import { startHttpServer } from '../../test/support/http-server.ts';
import { latencyStats, sleep, tempDir, type LatencyStats } from './bench-bot.ts';
import { sampleRss } from './proc.ts';
import { mb, ms, num, pct, type Section } from './report.ts';

export interface HeavyFeedOptions {
  /** Items in the document (the report: 110,000). */
  items: number;
  /** Polls measured after the start-up one: each POLL_CRON tick reads a new edition of the feed. */
  polls: number;
  /** /latest is sent this often, without waiting for the previous one. */
  everyMs: number;
}

export interface HeavyFeedResult {
  items: number;
  documentBytes: number;
  /** From sendCommand to the accepted interaction callback, for every command acknowledged. */
  ack: LatencyStats;
  /** The same for the first command after connecting, sent alone (the bot's start-up, not the feed). */
  firstAckMs: number;
  sent: number;
  /** Commands the fake saw go unacknowledged past its 3 s window, or acknowledged later than 3 s. */
  late: number;
  peakRss: number;
  /** The bot's own "poll finished" figures, in order. */
  polls: Array<{ ms: number; rssMiB: number; failed: number }>;
  /** The bot's "feed cut" line of the cold poll, if it logged one. */
  cut?: string;
  maxItems: number;
  everyMs: number;
}

export const TARGET_ACK_P99_MS = 100;
export const TARGET_RSS_BYTES = 300 * 2 ** 20;
const DISCORD_WINDOW_MS = 3000;

/**
 * The document, newest first. Every edition renames all its items, so each poll finds its newest
 * MAX_ITEMS_PER_FEED all new (the most a poll of this feed can have to record), as on the first.
 */
function heavyDocument(items: number, edition: number): Buffer {
  const lines: string[] = [];
  for (let n = 0; n < items; n++) lines.push(n % 1000 === 0 ? `<item><title>Alita 2 sequel news ${n} (${edition})</title></item>\n` : `<item><title>Story ${n} (${edition})</title></item>\n`);
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Heavy Wire</title><link>https://heavy.example.com/</link>\n${lines.join('')}</channel></rss>`);
}

export async function runHeavyFeedBench(options: HeavyFeedOptions): Promise<HeavyFeedResult> {
  build();
  let edition = 0;
  const site = await startHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(heavyDocument(options.items, edition++)));
  const documentBytes = heavyDocument(options.items, 0).length;
  const dir = tempDir();
  const fake = await startFakeDiscord();
  let bot: BotProcess | undefined;
  try {
    // MAX_ITEMS_PER_FEED blank: its default, whatever a developer's .env says.
    const env = botEnv({ fake, feeds: [`${site.url}/heavy.xml`], databaseUrl: dir.sqliteUrl(), pollCron: '*/10 * * * * *', extra: { LOG_LEVEL: 'debug', DISCORD_GUILD_ID: fake.guild.id, MAX_ITEMS_PER_FEED: '' } });
    await deployCommands(loadBotConfig(env));
    const maxItems = loadBotConfig(env).MAX_ITEMS_PER_FEED;
    bot = startBotProcess(env, 'heavy-feed bot');
    const pid = bot.pid;
    const rss = sampleRss(pid);
    await bot.waitForLog(/connected to Discord/, 60_000);
    // The bot's first command after connecting waits for its start-up (a second or two with a
    // feed of 100 items as with this one): timed apart, so the figures below are the feed's.
    const warmUpStarted = performance.now();
    await fake.sendCommand({ name: 'latest' }).acknowledged({ timeoutMs: 30_000 });
    const firstAckMs = performance.now() - warmUpStarted;

    const acks: number[] = [];
    let late = 0;
    const pending: Array<Promise<void>> = [];
    const finished = () => bot!.logs().match(/poll finished[^\n]*/g) ?? [];
    // The poll at start (still running, or done), then `polls` more.
    const wanted = 1 + options.polls;
    const deadline = performance.now() + 300_000;
    while (finished().length < wanted) {
      if (!bot.running) throw new Error(`the bot exited\n${bot.logs().slice(-3000)}`);
      if (performance.now() > deadline) throw new Error(`${options.polls} polls took over 5 minutes\n${bot.logs().slice(-3000)}`);
      const t0 = performance.now();
      const acknowledged = fake.sendCommand({ name: 'latest' }).acknowledged({ timeoutMs: 30_000 });
      pending.push(
        acknowledged.then(
          () => {
            acks.push(performance.now() - t0);
            if (performance.now() - t0 > DISCORD_WINDOW_MS) late++;
          },
          () => void late++,
        ),
      );
      await sleep(options.everyMs);
    }
    await Promise.all(pending);
    const peakRss = rss.stop();
    const polls = finished().map((line) => ({ ms: Number(/ ms=(\d+)/.exec(line)?.[1]), rssMiB: Number(/rssMiB=(\d+)/.exec(line)?.[1]), failed: Number(/failed=(\d+)/.exec(line)?.[1]) }));
    const cut = /feed cut[^\n]*/.exec(bot.logs())?.[0];
    await bot.signal('SIGTERM');
    return { items: options.items, documentBytes, ack: latencyStats(acks), firstAckMs, sent: pending.length, late, peakRss, polls, ...(cut ? { cut } : {}), maxItems, everyMs: options.everyMs };
  } finally {
    await bot?.kill();
    await fake.close().catch(() => undefined);
    await site.close();
    dir.remove();
  }
}

export function heavyFeedSection(r: HeavyFeedResult): Section {
  const notes: string[] = [];
  const failed = r.polls.reduce((sum, p) => sum + p.failed, 0);
  if (failed) notes.push(`⚠ The feed failed in ${failed} of ${r.polls.length} polls.`);
  if (!r.cut) notes.push(`⚠ The bot never logged that it cut the feed to its newest ${num(r.maxItems)} items.`);
  else notes.push(`The bot logged, each poll: \`${r.cut.replace(/^.*?(feed cut)/, '$1')}\`.`);
  const ackPass = Number.isFinite(r.ack.p99Ms) && r.ack.p99Ms < TARGET_ACK_P99_MS;
  return {
    title: '5. One heavy feed: 110,000 tiny items',
    rows: [
      { metric: `/latest acknowledged: p99 (${num(r.ack.samples)} of ${num(r.sent)} commands)`, measured: ms(r.ack.p99Ms), target: `< ${TARGET_ACK_P99_MS} ms`, pass: ackPass, ratio: `p50 ${ms(r.ack.p50Ms)}, max ${ms(r.ack.maxMs)}` },
      { metric: 'Commands not acknowledged within Discord’s 3 s', measured: num(r.late), target: '0', pass: r.late === 0, ratio: `of ${num(r.sent)} sent` },
      { metric: 'Max RSS of the bot process (VmHWM), start-up included', measured: mb(r.peakRss), target: `< ${mb(TARGET_RSS_BYTES)}`, pass: r.peakRss < TARGET_RSS_BYTES, ratio: `${pct(r.peakRss / TARGET_RSS_BYTES)} of target` },
      { metric: 'The first /latest after connecting (start-up, not counted above)', measured: ms(r.firstAckMs), target: '—', pass: null, ratio: 'the bot starting up: as slow with a feed of 100 items' },
      ...r.polls.map((p, i) => ({ metric: `Poll ${i + 1}${i === 0 ? ' (at start: the feed is new)' : ' (a new edition: its newest items all new)'}`, measured: ms(p.ms), target: '—', pass: null, ratio: `the bot logged rssMiB=${p.rssMiB}${p.failed ? ', the feed failed' : ''}` })),
    ],
    notes,
    how: [
      `One feed of ${num(r.items)} items (\`<item><title>Story n (edition)</title></item>\`, one in 1,000 on topic), ${mb(r.documentBytes)}, served from this process on loopback; every request gets a new edition whose items all have new titles, so each poll has its newest ${num(r.maxItems)} items all new to record.`,
      'The bot runs as `npm start` runs it (dist/main.js after `npm run build`, npm start’s V8 flags) in its own process, with DISCORD_TOKEN and DISCORD_API_URL pointing at the fake Discord in this process (commands deployed first), on a fresh SQLite store, MAX_ITEMS_PER_FEED at its default, POLL_CRON every 10 s; it polls the feed at once on start.',
      `Once it has connected and answered a first /latest, /latest is sent every ${r.everyMs} ms without waiting for earlier replies, until ${r.polls.length - 1} more polls have finished. Latency = from \`fake.sendCommand\` to the fake accepting the interaction callback (nearest-rank percentiles); the fake refuses a callback after 3 s, as Discord does.`,
      'Peak RSS is the kernel’s high-water mark of the bot process over the whole run (VmHWM, every thread including the parse worker), or the highest VmRSS sampled every 10 ms if higher.',
    ],
  };
}
