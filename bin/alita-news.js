#!/usr/bin/env node
/**
 * `alita-news <command> [arguments…]`: `npx alita-news …` in the project's folder, or `alita-news …`
 * once `npm link` (or `npm install -g .`) has put it on PATH. Plain JavaScript, so it runs before
 * anything is built: it builds the bundles the command needs (scripts/build.mjs, which writes only
 * what changed), then runs the command's bundle on node as a child, with the arguments given, in
 * the current folder (where .env and a relative DATABASE_URL are read). `start` runs exactly `npm start`'s
 * node command, read from package.json so the two cannot differ.
 *
 * stdout carries only the command's own output (npm run prints its banner there), so
 * `alita-news preview FEED --json` can be piped into a JSON reader.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Each command, the bundles it needs (the first is the one it runs), and its line in --help. */
const COMMANDS = {
  start: { bundles: ['main', 'parse-worker'], help: 'run the bot (Discord with DISCORD_TOKEN, else console mode), as npm start does' },
  preview: { bundles: ['preview', 'parse-worker'], help: '<feed URL or file>… [--json] [--about-alita]  what the bot would do with each item now' },
  demo: { bundles: ['demo', 'parse-worker'], help: 'one offline poll of the bundled sample feeds, in console mode' },
  'deploy-commands': { bundles: ['deploy-commands'], help: 'register the slash commands with Discord' },
  backup: { bundles: ['backup'], help: '<file>  a consistent copy of the SQLite store, also while the bot runs' },
};

const USAGE = [
  'usage: alita-news <command> [arguments…]',
  '',
  'commands:',
  ...Object.entries(COMMANDS).map(([name, { help }]) => `  ${name.padEnd(16)} ${help}`),
  '',
  'Settings come from the environment and from .env in the current folder (README, "Configuration").',
  '',
].join('\n');

/** npm start's node command (`[NAME=value …] [exec] node args…` after the last `&&`): its environment and node's arguments. */
function startCommand() {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
  const words = scripts.start.split('&&').at(-1).trim().split(/\s+/);
  const env = {};
  while (/^[A-Z_][A-Z0-9_]*=/.test(words[0] ?? '')) {
    const [key, ...value] = words.shift().split('=');
    env[key] = value.join('=');
  }
  if (words[0] === 'exec') words.shift();
  if (words.shift() !== 'node') throw new Error('package.json\'s "start" script does not end in a node command');
  return { env, args: words };
}

/** Runs node with `args` as a child; signals sent to this process are passed on, and its exit is ours. */
function run(args, env) {
  const child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const forward = (signal) => child.kill(signal);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.on(signal, forward);
  child.on('error', (error) => {
    process.stderr.write(`alita-news: cannot start node: ${error.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    // Ended by a signal: end the same way, so whoever started us sees it.
    for (const name of signals) process.off(name, forward);
    process.kill(process.pid, signal);
  });
}

async function main(argv) {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (name === undefined || !Object.hasOwn(COMMANDS, name)) {
    process.stderr.write(`alita-news: ${name === undefined ? 'no command given' : `unknown command "${name}"`} (alita-news --help lists them)\n`);
    process.exitCode = 2;
    return;
  }
  try {
    const { buildDist } = await import('../scripts/build.mjs');
    await buildDist(ROOT, COMMANDS[name].bundles);
  } catch (error) {
    // esbuild has printed what is wrong in the sources; a file error (dist/ not writable) has only its message.
    process.stderr.write(`alita-news: build failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exitCode = 1;
    return;
  }
  const fromRoot = (arg) => (arg.startsWith('dist/') && !isAbsolute(arg) ? join(ROOT, arg) : arg);
  if (name === 'start') {
    const start = startCommand();
    run([...start.args.map(fromRoot), ...rest], start.env);
  } else {
    run([join(ROOT, 'dist', `${COMMANDS[name].bundles[0]}.js`), ...rest], {});
  }
}

await main(process.argv.slice(2));
