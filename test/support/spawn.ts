import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name); what it wrote last may not be read yet. */
  exited: Promise<number | string>;
  /** The same, once all the process wrote has been read too. */
  closed: Promise<number | string>;
  /** Resolves once stdout (or stderr: the bot's log) contains `text`, or rejects after `timeoutMs` or when the process exits first. */
  waitFor(text: string | RegExp, timeoutMs?: number, stream?: 'stdout' | 'stderr'): Promise<void>;
}

/** The bundle `npm start` and the other scripts run for an entry file (built by test/support/build.ts): src/cli/preview.ts → dist/preview.js. */
export function compiled(source: string): string {
  return `dist/${source.split('/').pop()!.replace(/\.ts$/, '.js')}`;
}

/**
 * node's arguments in a package.json script ("node scripts/build.mjs && node --flag dist/main.js" →
 * ["--flag", "dist/main.js"]), so a test starts the bot exactly as `npm start` does,
 * memory flags included.
 */
/**
 * The node command a package.json script ends in: `[NAME=value …] [exec] node args…`, split into
 * its environment and node's arguments.
 */
export function scriptCommand(name: string): { env: Record<string, string>; args: string[] } {
  const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = scripts[name]?.split('&&').at(-1)?.trim().split(/\s+/) ?? [];
  const env: Record<string, string> = {};
  while (words[0] !== undefined && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [key, ...value] = words.shift()!.split('=');
    env[key!] = value.join('=');
  }
  if (words[0] === 'exec') words.shift();
  if (words[0] !== 'node') throw new Error(`package.json script "${name}" does not end in a node command`);
  return { env, args: words.slice(1) };
}

export function scriptNodeArgs(name: string): string[] {
  return scriptCommand(name).args;
}

/** Runs one of the project's scripts as `npm run` would (compiled, on plain node), without npm's own noise. */
export function spawnScript(script: string, args: string[] = [], env: Record<string, string> = {}): Spawned {
  const entry = compiled(script);
  // npm start's own flags when it is main.js that runs.
  const start = entry === compiled('src/main.ts') ? scriptCommand('start') : { env: {}, args: [entry] };
  return spawnCommand(process.execPath, [...start.args, ...args], { env: { ...start.env, ...env } });
}

/** Runs a command as a user would type it (e.g. `npx alita-news …`), with PATH and HOME and exactly `env` besides. */
export function spawnCommand(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Spawned {
  const child = spawn(command, args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c) => (out += String(c)));
  child.stderr!.on('data', (c) => (err += String(c)));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let done = false;
  const closed = new Promise<number | string>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? -1);
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    closed,
    waitFor(text, timeoutMs = 90_000, stream = 'stdout') {
      const found = () => {
        const seen = stream === 'stdout' ? out : err;
        return typeof text === 'string' ? seen.includes(text) : text.test(seen);
      };
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = setInterval(() => {
          if (found()) {
            clearInterval(check);
            resolve();
          } else if (Date.now() - started > timeoutMs || done) {
            // `done`, not the exit code: the exit is known before the pipe's last lines are read.
            clearInterval(check);
            reject(new Error(`did not see ${String(text)}\nstdout:\n${out}\nstderr:\n${err}`));
          }
        }, 50);
      });
    },
  };
}
