/**
 * When Discord cannot be reached, or refuses the token, `npm start` stops with one line that says
 * it is Discord and where: "fatal: connect ECONNREFUSED 127.0.0.1:1" named no one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from './fake-discord/server.ts';
import { spawnScript, type Spawned } from './support/spawn.ts';

const TOKEN = 'a-token-nobody-may-see-1234';
let running: Spawned | undefined;
let fake: FakeDiscord | undefined;
const dir = mkdtempSync(join(tmpdir(), 'alita-login-'));
afterEach(async () => {
  if (running?.child.exitCode === null) running.child.kill('SIGKILL');
  await fake?.close();
  running = undefined;
  fake = undefined;
});
afterEach(() => rmSync(join(dir, 'bot.sqlite'), { force: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on (it was just free). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const start = (apiUrl: string) =>
  spawnScript('src/main.ts', [], { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: apiUrl, DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, FEEDS: 'data/sample-feeds/alita-news.xml', POLL_CRON: '0 0 1 1 *' });

describe('npm start when Discord is not there', () => {
  it('says that Discord\'s API cannot be reached, and at which host', async () => {
    const port = await closedPort();
    running = start(`http://127.0.0.1:${port}/api`);
    expect(await running.closed).toBe(1);
    const lines = running.stderr().trim().split('\n');
    expect(lines.at(-1)).toBe(`fatal: cannot reach Discord: its API at 127.0.0.1:${port} (DISCORD_API_URL) did not answer (connect ECONNREFUSED 127.0.0.1:${port}); check the network and firewall`);
    expect(running.stderr()).not.toContain(TOKEN);
  });

  it('says that Discord refused the token, naming DISCORD_TOKEN but never the token', async () => {
    fake = await startFakeDiscord({ token: 'the-right-token-5678' });
    running = start(fake.apiUrl);
    expect(await running.closed).toBe(1);
    const host = new URL(fake.apiUrl).host;
    expect(running.stderr().trim().split('\n').at(-1)).toMatch(new RegExp(`^fatal: DISCORD_TOKEN: Discord's API at ${host} \\(DISCORD_API_URL\\) refused the token \\(.+\\); copy it again from the Developer Portal \\(Bot → Reset Token\\)$`));
    expect(running.stderr()).not.toContain(TOKEN);
  });
});
