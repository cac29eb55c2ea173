/**
 * The `alita-news` command as operators type it: `npx alita-news …` in the project's folder, and
 * bin/alita-news.js run directly (what `npm link` puts on PATH) from another folder. Its stdout
 * carries only the command's output, its exit codes are the command's, and `start` runs npm
 * start's exact node command and stops cleanly on a signal.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, children, gone, killTree, processStart } from './support/processes.ts';
import { PROJECT_ROOT, scriptCommand, spawnCommand } from './support/spawn.ts';

const BIN = join(PROJECT_ROOT, 'bin/alita-news.js');
const SUBCOMMANDS = ['start', 'preview', 'demo', 'deploy-commands'];
const dir = mkdtempSync(join(tmpdir(), 'alita-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const npx = (...args: string[]) => spawnCommand('npx', ['alita-news', ...args]);

describe('alita-news', () => {
  it('--help lists every command on stdout and exits 0', async () => {
    const run = npx('--help');
    expect(await run.closed).toBe(0);
    expect(run.stderr()).toBe('');
    expect(run.stdout()).toMatch(/^usage: alita-news <command>/);
    for (const name of SUBCOMMANDS) expect(run.stdout()).toMatch(new RegExp(`^ {2}${name} +\\S`, 'm'));
  });

  it('an unknown command: one line on stderr, nothing on stdout, exit 2', async () => {
    const run = npx('frobnicate');
    expect(await run.closed).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr()).toBe('alita-news: unknown command "frobnicate" (alita-news --help lists them)\n');
  });

  it('no command: one line on stderr, exit 2', async () => {
    const run = npx();
    expect(await run.closed).toBe(2);
    expect(run.stdout()).toBe('');
    expect(run.stderr().trimEnd().split('\n')).toEqual(['alita-news: no command given (alita-news --help lists them)']);
  });

  it('preview --json: stdout is JSON lines and nothing else, stderr empty', async () => {
    const run = npx('preview', 'data/sample-feeds/alita-news.xml', '--json');
    expect(await run.closed).toBe(0);
    expect(run.stderr()).toBe('');
    const lines = run.stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as { feed: string; relevant: boolean });
    expect(lines).toHaveLength(5);
    expect(lines.every((line) => line.feed === 'data/sample-feeds/alita-news.xml')).toBe(true);
    expect(lines.filter((line) => line.relevant)).toHaveLength(2);
  });

  it("passes on the command's exit code and stderr (a missing feed: 1)", async () => {
    const missing = join(dir, 'no-such-feed.xml');
    const run = spawnCommand(BIN, ['preview', missing], { cwd: dir });
    expect(await run.closed).toBe(1);
    expect(run.stderr()).toBe(`${missing}: no such file: ${missing}\n`);
  });
});

describe.each(['SIGTERM', 'SIGINT'] as const)('alita-news start and %s', (signal) => {
  it("runs npm start's node command in the current folder, and stops with exit 0 leaving no process", async () => {
    const run = spawnCommand(BIN, ['start'], {
      cwd: dir,
      // LOG_LEVEL=debug: a first poll that announces nothing says 'poll finished' at debug only.
      env: { DATABASE_URL: `sqlite://${signal}.sqlite`, FEEDS: join(PROJECT_ROOT, 'data/sample-feeds/alita-news.xml'), POLL_CRON: '0 0 1 1 *', LOG_LEVEL: 'debug' },
    });
    const launcher = run.child.pid!;
    let bot: number[] = [];
    try {
      await run.waitFor('poll finished', 90_000, 'stderr');
      bot = children(launcher);
      expect(bot, run.stderr()).toHaveLength(1);
      const started = processStart(bot[0]!);
      const start = scriptCommand('start');
      expect(started.argv).toEqual([process.execPath, ...start.args.map((arg) => (arg.startsWith('dist/') ? join(PROJECT_ROOT, arg) : arg))]);
      expect(started.env).toEqual(expect.objectContaining(start.env));
      expect(existsSync(join(dir, `${signal}.sqlite`))).toBe(true);
      expect(alive(launcher)).toBe(true);
      run.child.kill(signal);
      // `exited`, not `closed`: a bot left running would hold the pipes open, and this must fail, not hang.
      expect(await run.exited, run.stderr()).toBe(0);
      await run.closed;
      expect(run.stderr()).toContain(`stopping signal=${signal}`);
      expect(await gone(bot[0]!, 30_000)).toBe(true);
    } finally {
      // A failing run must not leave the bot behind for the rest of the suite.
      killTree(launcher);
      for (const pid of bot) killTree(pid);
    }
  });
});
