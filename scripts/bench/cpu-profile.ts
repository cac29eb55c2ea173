/**
 * Reads V8 CPU profiles (node --cpu-prof's .cpuprofile files) into "where the CPU goes": self time
 * per file or package within a time window, the bundled parse worker mapped back to src/ through
 * its source map, native calls counted with the code that made them (SQLite's with SQLite).
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; children?: number[] }>;
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export type GroupKind = 'engine' | 'bot' | 'store' | 'library' | 'sqlite' | 'gc' | 'node' | 'vm' | 'harness' | 'other';

export interface Spot {
  fn: string;
  selfUs: number;
}

export interface Group {
  where: string;
  kind: GroupKind;
  selfUs: number;
  /** The functions with the most self time in the group, most first. */
  top: Spot[];
}

export interface ThreadSummary {
  /** Sampled time in the window spent running (everything but "(idle)"), µs. */
  busyUs: number;
  idleUs: number;
  samples: number;
  groups: Group[];
}

/** A frame's place in the project: a path relative to the root, or node:…; line 0-based. */
export type Locate = (url: string, line: number, column: number) => { file: string; line: number };

/** Project-relative files; a bundle with a source map (dist/*.js) resolves to the sources it was built from. */
export function sourceMapLocator(root: string): Locate {
  const maps = new Map<string, SourceMap | undefined>();
  return (url, line, column) => {
    if (!url.startsWith('file:')) return { file: url, line };
    const path = fileURLToPath(url.replace(/\?.*$/, ''));
    if (!maps.has(path)) maps.set(path, existsSync(`${path}.map`) ? new SourceMap(JSON.parse(readFileSync(`${path}.map`, 'utf8'))) : undefined);
    const map = maps.get(path);
    const entry = map?.findEntry(line, column) as { originalSource?: string; originalLine?: number } | undefined;
    if (entry?.originalSource) return { file: sourceFile(root, path, entry.originalSource), line: entry.originalLine ?? 0 };
    // esbuild's own glue (module wrappers, require shims) is in no source.
    return { file: map ? `${relative(root, path)} (bundle glue)` : relative(root, path), line };
  };
}

function sourceFile(root: string, bundle: string, source: string): string {
  if (source.startsWith('file:')) return relative(root, fileURLToPath(source));
  // A library shipping its own source map may name its sources by URL (entities: raw.githubusercontent.com/fb55/entities/…):
  // counted as that package.
  const remote = /^https?:\/\/raw\.githubusercontent\.com\/[^/]+\/([^/]+)\/[^/]+\/(.*)$/.exec(source) ?? /^https?:\/\/([^/]+)\/(.*)$/.exec(source);
  if (remote) return `node_modules/${remote[1]}/${remote[2]}`;
  return relative(root, resolve(dirname(bundle), source));
}

/** The group of a project-relative file (or node:… module). */
export function classify(file: string): { where: string; kind: GroupKind } {
  if (file.startsWith('node:')) return { where: 'Node.js internals (streams, http, timers, workers)', kind: 'node' };
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + 'node_modules/'.length).split('/');
    return { where: parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!, kind: 'library' };
  }
  if (file.startsWith('src/engine/')) return { where: file, kind: 'engine' };
  if (file.startsWith('src/store/')) return { where: file, kind: 'store' };
  if (file.startsWith('src/')) return { where: file, kind: 'bot' };
  if (file.startsWith('scripts/') || file.startsWith('test/')) return { where: 'the benchmark itself (scripts/bench, test/support)', kind: 'harness' };
  return { where: file || '(unknown)', kind: 'other' };
}

const SQLITE = /better-sqlite3|src\/store\/sql\/sqlite-driver/;

/** Self time per group within [startUs, endUs] (the profile's clock: process.hrtime in µs). */
export function summarizeProfile(profile: CpuProfile, window: { startUs: number; endUs: number }, locate: Locate): ThreadSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let t = profile.startTime;
  let samples = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t < window.startUs || t > window.endUs) return;
    samples++;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const groups = new Map<string, Group>();
  const spots = new Map<string, Map<string, number>>();
  let busyUs = 0;
  let idleUs = 0;
  const where = (id: number): { where: string; kind: GroupKind; fn: string } => {
    const { functionName, url, lineNumber, columnNumber } = byId.get(id)!.callFrame;
    if (functionName === '(garbage collector)') return { where: 'garbage collection', kind: 'gc', fn: 'GC' };
    if (functionName === '(program)') return { where: 'V8 and Node outside JavaScript ("(program)")', kind: 'vm', fn: '(program)' };
    if (url) {
      const { file, line } = locate(url, lineNumber, columnNumber);
      return { ...classify(file), fn: `${functionName || '(anonymous)'} ${basename(file)}:${line + 1}` };
    }
    // A native function (a builtin, a C++ binding): counted with the code that called it.
    let up = parent.get(id);
    while (up !== undefined && !byId.get(up)!.callFrame.url) up = parent.get(up);
    if (up === undefined) return { where: 'native code', kind: 'other', fn: functionName };
    const caller = where(up);
    // A RegExp is named by its whole source: a few characters say which one it is.
    const name = functionName.length > 40 ? `${functionName.slice(0, 39)}…` : functionName;
    const fn = `${name} (native, from ${caller.fn.split(' ')[0]})`;
    if (SQLITE.test(caller.where) || SQLITE.test(byId.get(up)!.callFrame.url)) return { where: 'SQLite (better-sqlite3 native calls)', kind: 'sqlite', fn };
    return { ...caller, fn };
  };
  for (const [id, us] of self) {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)') {
      idleUs += us;
      continue;
    }
    if (name === '(root)') continue;
    busyUs += us;
    const w = where(id);
    const group = groups.get(w.where) ?? { where: w.where, kind: w.kind, selfUs: 0, top: [] };
    group.selfUs += us;
    groups.set(w.where, group);
    const fns = spots.get(w.where) ?? new Map<string, number>();
    fns.set(w.fn, (fns.get(w.fn) ?? 0) + us);
    spots.set(w.where, fns);
  }
  for (const group of groups.values()) {
    group.top = [...spots.get(group.where)!].map(([fn, selfUs]) => ({ fn, selfUs })).sort((a, b) => b.selfUs - a.selfUs).slice(0, 3);
  }
  return { busyUs, idleUs, samples, groups: [...groups.values()].sort((a, b) => b.selfUs - a.selfUs) };
}
