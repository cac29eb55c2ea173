/**
 * A second (third…) process on the same database, for the concurrency tests:
 *   node --import tsx test/store-sql/child.ts <task> <url> <prefix> <count> [limit]
 * Opens the stores, prints "ready", waits for "go" on stdin, runs <count> operations at once,
 * and prints its result as one JSON line.
 */
import { once } from 'node:events';
import { openStores } from '../../src/store/sql/index.ts';

const [task, url, prefix = 'p', countText = '50', limitText = '1000'] = process.argv.slice(2);
const count = Number(countText);
const limit = Number(limitText);
const logger = { warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };

const stores = await openStores(url!, logger);
process.stdout.write('ready\n');
let input = '';
process.stdin.on('data', (chunk) => (input += String(chunk)));
while (!input.includes('go')) await once(process.stdin, 'data');

const now = new Date().toISOString();
const indexes = Array.from({ length: count }, (_, i) => i);
let result: unknown;
if (task === 'add-feeds') {
  // Different guilds and URLs: every add must land.
  result = await Promise.all(indexes.map((i) => stores.settings.addGuildFeed({ guildId: `${prefix}-g${i}`, url: `https://${prefix}.example/${i}.xml`, addedAt: now }, limit)));
} else if (task === 'add-feeds-one-guild') {
  // One guild, different URLs: only `limit` may land, across all processes.
  result = await Promise.all(indexes.map((i) => stores.settings.addGuildFeed({ guildId: 'shared-guild', url: `https://${prefix}.example/${i}.xml`, addedAt: now }, limit)));
} else if (task === 'settings') {
  result = await Promise.all(indexes.map((i) => stores.settings.setGuild({ guildId: `${prefix}-g${i}`, channelId: `${prefix}-c${i}`, updatedAt: now })));
  result = (result as unknown[]).length;
} else {
  throw new Error(`unknown task ${task}`);
}
await stores.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
