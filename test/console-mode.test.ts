import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnScript, type Spawned } from './support/spawn.ts';

let running: Spawned | undefined;
let dir: string | undefined;
afterEach(() => {
  if (running?.child.exitCode === null) running.child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
  running = undefined;
  dir = undefined;
});

describe('npm run demo', () => {
  it('announces the sample news once, answers /latest and /quote cameron, and exits 0', async () => {
    running = spawnScript('src/cli/demo.ts');
    expect(await running.closed).toBe(0);
    const out = running.stdout();
    expect(out.match(/📣/g)).toHaveLength(2);
    expect(out).toContain('Fans and Robert Rodriguez want Alita: Battle Angel 2 to come true');
    expect(out).not.toMatch(/📣[^\n]*\n┌─ (Avatar|Cameron Diaz|Michelle|Robert Rodriguez launches|Alita: Battle Angel 4K)/);
    expect(out).toContain('> /latest');
    expect(out).toContain('— James Cameron, producer, Jun 2023');
    expect(running.stderr()).toBe('');
  });
});

describe('npm start without DISCORD_TOKEN (console mode)', () => {
  it('polls at once, answers typed commands, and stops cleanly on SIGTERM', async () => {
    dir = mkdtempSync(join(tmpdir(), 'alita-console-'));
    running = spawnScript('src/main.ts', [], {
      FEEDS: 'data/sample-feeds/alita-news.xml',
      KEYV_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
      BACKFILL: '1',
      POLL_CRON: '0 0 1 1 *',
    });
    await running.waitFor('📣 #console');
    expect(running.stdout()).toContain('Fans and Robert Rodriguez want Alita: Battle Angel 2');
    running.child.stdin!.write('/latest 1\n/quote cameron\n');
    await running.waitFor('James Cameron on the Alita sequel');
    expect(running.stdout()).toContain('Latest Alita sequel news');
    running.child.kill('SIGTERM');
    expect(await running.closed).toBe(0);
    expect(running.stderr()).toMatch(/stopping signal=SIGTERM/);
  });

  it('writes one JSON object per log line with LOG_FORMAT=json, the fatal line too', async () => {
    dir = mkdtempSync(join(tmpdir(), 'alita-console-'));
    running = spawnScript('src/main.ts', [], { FEEDS: 'data/sample-feeds/alita-news.xml', DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, BACKFILL: '1', POLL_CRON: '0 0 1 1 *', LOG_FORMAT: 'json', LOG_LEVEL: 'debug' });
    await running.waitFor('📣 #console');
    const polled = Date.now();
    while (!running.stderr().includes('poll finished') && Date.now() - polled < 60_000) await new Promise((resolve) => setTimeout(resolve, 50));
    running.child.kill('SIGTERM');
    expect(await running.closed).toBe(0);
    const lines = running.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const line of lines) expect(Object.keys(line).slice(0, 3)).toEqual(['time', 'level', 'msg']);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'poll finished', feeds: 1, failed: 0, new: 1 }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'stopping', signal: 'SIGTERM' }));

    running = spawnScript('src/main.ts', [], { DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}/x.sqlite`, LOG_FORMAT: 'json' });
    expect(await running.closed).toBe(1);
    const fatal = running.stderr().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(fatal).toEqual([expect.objectContaining({ level: 'error', msg: expect.stringMatching(/^fatal: DATABASE_URL: .*bot\.sqlite is a file, not a folder/) })]);
  });

  it('answers GET /healthz and /metrics on HEALTH_PORT, as npm start runs it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'alita-console-'));
    running = spawnScript('src/main.ts', [], { FEEDS: 'data/sample-feeds/alita-news.xml', DATABASE_URL: `sqlite://${join(dir, 'bot.sqlite')}`, POLL_CRON: '0 0 1 1 *', HEALTH_PORT: '0', LOG_LEVEL: 'debug' });
    const started = Date.now();
    while (!/poll finished/.test(running.stderr()) && Date.now() - started < 90_000 && running.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 50));
    const base = /health and metrics listening healthz=(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(running.stderr())?.[1];
    expect(base, running.stderr()).toBeDefined();
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, store: 'ok', discord: 'console mode', leader: true });
    expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/^alita_polls_total 1$/m);
    running.child.kill('SIGTERM');
    expect(await running.closed).toBe(0);
  });

  it('stops at start with one line naming the database setting and what is wrong with it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'alita-console-'));
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'not a database\n');
    running = spawnScript('src/main.ts', [], { DATABASE_URL: `sqlite://${file}/bot.sqlite`, FEEDS: 'data/sample-feeds/alita-news.xml' });
    expect(await running.closed).toBe(1);
    expect(running.stderr().trim().split('\n')).toEqual([`fatal: DATABASE_URL: ${file} is a file, not a folder, so the SQLite file ${file}/bot.sqlite cannot be created in it`]);
    running = spawnScript('src/main.ts', [], { KEYV_URL: `sqlite://${file}`, FEEDS: 'data/sample-feeds/alita-news.xml' });
    expect(await running.closed).toBe(1);
    expect(running.stderr().trim().split('\n')).toEqual([`fatal: KEYV_URL: ${file} is not a SQLite database (it is some other kind of file): point the setting at the bot's database or at a new file`]);
  });

  it('stops at start with one line naming a wrong setting', async () => {
    running = spawnScript('src/main.ts', [], { POLL_CRON: 'sometimes' });
    expect(await running.closed).toBe(1);
    expect(running.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^configuration error: POLL_CRON: /)]);
  });
});
