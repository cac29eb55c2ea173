/**
 * `npm start`, as README says to run it, stops cleanly whoever signals it: SIGTERM or SIGINT to
 * the npm process (what a supervisor, a container or Ctrl-C sends) reaches the bot, which exits 0
 * and leaves no process behind. Run in a copy of the project made of links (its own dist/), so
 * npm start's build does not rewrite the dist/ other tests are running.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, children } from './support/processes.ts';
import { PROJECT_ROOT } from './support/spawn.ts';

const dir = mkdtempSync(join(tmpdir(), 'alita-npm-start-'));
const project = join(dir, 'project');
mkdirSync(project);
for (const entry of ['package.json', 'node_modules', 'src', 'commands', 'data', 'scripts']) symlinkSync(join(PROJECT_ROOT, entry), join(project, entry));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(['SIGTERM', 'SIGINT'] as const)('npm start and %s', (signal) => {
  it('stops the bot with exit 0 and leaves no process behind', async () => {
    const npm = spawn('npm', ['start'], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, DATABASE_URL: `sqlite://${join(dir, `${signal}.sqlite`)}`, FEEDS: join(PROJECT_ROOT, 'data/sample-feeds/alita-news.xml'), POLL_CRON: '0 0 1 1 *', LOG_LEVEL: 'debug' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout!.on('data', (c) => (out += String(c)));
    npm.stderr!.on('data', (c) => (out += String(c)));
    const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
    const started = Date.now();
    // A poll that finds nothing new says so at debug: the first poll's line shows the bot is up.
    while (!out.includes('poll finished') && Date.now() - started < 90_000 && npm.exitCode === null) await new Promise((r) => setTimeout(r, 100));
    expect(out, out).toContain('poll finished');
    const bot = children(npm.pid!);
    try {
      expect(bot, out).toHaveLength(1);
      npm.kill(signal);
      expect(await exited, out).toBe(0);
      expect(out).toContain(`stopping signal=${signal}`);
      const gone = Date.now();
      while (alive(bot[0]!) && Date.now() - gone < 30_000) await new Promise((r) => setTimeout(r, 50));
      expect(alive(bot[0]!)).toBe(false);
    } finally {
      // A failing run must not leave the bot (or a shell) behind for the rest of the suite.
      for (const pid of [...bot.flatMap((p) => [...children(p), p]), npm.pid!]) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
