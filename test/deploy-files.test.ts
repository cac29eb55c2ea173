/**
 * What can be checked of the deployment files without a Docker engine or systemd running the
 * bot: the image and the systemd unit run exactly npm start's node command (so the tested start is
 * what a container or a service runs), everything the bundles load at run time is a production dependency (the image installs
 * no others), and the image's build context holds what the build copies and never .env.
 * (`docker-compose config` and `systemd-analyze verify` check the files' syntax in .ci/run.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOADED_AT_RUN_TIME } from '../scripts/build.mjs';
import { PROJECT_ROOT, scriptCommand } from './support/spawn.ts';

const read = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');

/** A Dockerfile's instructions (continued lines joined, comments dropped), as [INSTRUCTION, arguments]. */
function instructions(text: string): Array<[string, string]> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [word, ...rest] = line.split(/\s+/);
      return [word!.toUpperCase(), rest.join(' ')];
    });
}

/** The final stage: what the image runs. */
function finalStage(): Array<[string, string]> {
  const all = instructions(read('Dockerfile'));
  const from = all.map(([word]) => word).lastIndexOf('FROM');
  return all.slice(from);
}

/** ENV lines of a stage (`ENV A=1 B=2`), as one object. */
function stageEnv(stage: Array<[string, string]>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [word, args] of stage) {
    if (word !== 'ENV') continue;
    for (const pair of args.match(/[A-Za-z_][A-Za-z0-9_]*=(?:"[^"]*"|\S+)/g) ?? []) {
      const at = pair.indexOf('=');
      env[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"(.*)"$/, '$1');
    }
  }
  return env;
}

describe('Dockerfile', () => {
  it("runs npm start's node command exactly, in exec form, with npm start's environment", () => {
    const start = scriptCommand('start');
    const cmd = finalStage().filter(([word]) => word === 'CMD').at(-1)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual(['node', ...start.args]);
    expect(stageEnv(finalStage())).toEqual(expect.objectContaining(start.env));
  });

  it('runs as a user other than root, keeps the store in a volume, and checks /healthz on HEALTH_PORT', () => {
    const stage = finalStage();
    const env = stageEnv(stage);
    expect(stage.filter(([word]) => word === 'USER').at(-1)?.[1]).toMatch(/^(?!root\b|0\b)\S+$/);
    const volume = stage.find(([word]) => word === 'VOLUME')?.[1];
    expect(volume).toBeDefined();
    expect(env.DATABASE_URL).toBe(`sqlite://${join(volume!, 'alita-army.sqlite')}`);
    expect(env.HEALTH_PORT).toMatch(/^\d+$/);
    const check = stage.find(([word]) => word === 'HEALTHCHECK')?.[1] ?? '';
    expect(check).toContain('process.env.HEALTH_PORT');
    expect(check).toContain('/healthz');
  });

  it('builds from a context that holds every file it copies, and never .env, a store, node_modules or dist/', () => {
    const rules = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    // .dockerignore's rule: the last pattern matching a path (or a folder above it) decides.
    const included = (path: string) => {
      let keep = true;
      for (const rule of rules) {
        const negated = rule.startsWith('!');
        const pattern = rule.replace(/^!/, '').replace(/\/$/, '');
        const matches = pattern === '*' || path === pattern || path.startsWith(`${pattern}/`);
        if (matches) keep = negated;
      }
      return keep;
    };
    const copied = instructions(read('Dockerfile'))
      .filter(([word, args]) => word === 'COPY' && !args.startsWith('--from'))
      .flatMap(([, args]) => args.split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) {
      expect(existsSync(join(PROJECT_ROOT, source)), source).toBe(true);
      expect(included(source), source).toBe(true);
    }
    for (const secret of ['.env', 'alita-army.sqlite', 'node_modules', 'dist', '.git', 'test']) expect(included(secret), secret).toBe(false);
  });
});

/** A systemd unit's settings, by section: each key's values in order (a key may repeat). */
function unit(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) {
      section = header[1]!;
      sections[section] ??= {};
      continue;
    }
    const at = line.indexOf('=');
    (sections[section]![line.slice(0, at)] ??= []).push(line.slice(at + 1));
  }
  return sections;
}

describe('deploy/alita-news.service', () => {
  const service = unit(read('deploy/alita-news.service'));
  const settings = service.Service!;

  it("builds as npm start does, then runs npm start's node command exactly, with its environment", () => {
    const start = scriptCommand('start');
    const [binary, ...args] = settings.ExecStart![0]!.split(/\s+/);
    expect(binary).toMatch(/^\/\S*\/node$/);
    expect(args).toEqual(start.args);
    const env = Object.fromEntries(settings.Environment!.flatMap((line) => line.split(/\s+/)).map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    expect(env).toEqual(expect.objectContaining(start.env));
    // npm start's first step, `node scripts/build.mjs`, as root ("+") with the same node.
    const build = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!.split('&&')[0]!.trim();
    expect(settings.ExecStartPre).toEqual([`+${build.replace(/^node /, `${binary} `)}`]);
  });

  it('runs as its own user, restarts on failure, stops with SIGTERM, and may write only its data folder', () => {
    expect(settings.User?.[0]).toMatch(/^(?!root$)\S+$/);
    expect(settings.Group?.[0]).toMatch(/^(?!root$)\S+$/);
    expect(settings.Restart).toEqual(['on-failure']);
    expect(settings.KillSignal).toEqual(['SIGTERM']);
    // The bot's own deadline is 10 s: systemd waits longer before SIGKILL.
    expect(Number(settings.TimeoutStopSec?.[0])).toBeGreaterThan(10);
    expect(settings.NoNewPrivileges).toEqual(['yes']);
    expect(settings.ProtectSystem).toEqual(['strict']);
    expect(settings.ReadWritePaths).toEqual([`/var/lib/${settings.StateDirectory![0]}`]);
    expect(settings.WorkingDirectory?.[0]).toMatch(/^\//);
    expect(settings.EnvironmentFile).toEqual([`${settings.WorkingDirectory![0]}/.env`]);
    expect(service.Install?.WantedBy).toEqual(['multi-user.target']);
  });
});

describe('the bundles', () => {
  it('load at run time only production dependencies (what npm ci --omit=dev installs)', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    for (const name of LOADED_AT_RUN_TIME) expect(Object.keys(pkg.dependencies), name).toContain(name);
    // Every installed package whose code went into a bundle is in the production tree too, so
    // the image (and the CLI's build in it) needs nothing npm ci --omit=dev leaves out.
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { dev?: boolean }> };
    const dist = join(PROJECT_ROOT, 'dist');
    const bundled = new Set<string>();
    for (const map of readdirSync(dist).filter((name) => name.endsWith('.js.map'))) {
      for (const source of (JSON.parse(readFileSync(join(dist, map), 'utf8')) as { sources: string[] }).sources) {
        const file = resolve(dist, source);
        if (!source.includes('node_modules/') || !existsSync(file)) continue; // a library's own source map may name files it does not ship
        const path = relative(PROJECT_ROOT, file);
        const key = (path.startsWith('..') ? path.slice(path.indexOf('node_modules/')) : path).match(/^node_modules\/(?:@[^/]+\/)?[^/]+(?:\/node_modules\/(?:@[^/]+\/)?[^/]+)*/)?.[0];
        if (key) bundled.add(key);
      }
    }
    expect(bundled.size).toBeGreaterThan(10);
    const notProduction = [...bundled].filter((key) => !lock.packages[key] || lock.packages[key]!.dev);
    expect(notProduction).toEqual([]);
  });
});
