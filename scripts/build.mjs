// `npm run build` (and npm start, demo, preview, deploy-commands, backup, which build first): the bot and
// its libraries bundled by esbuild into a few files in dist/, run on plain `node`. A bot process
// starts often (every restart, every instance, every test that kills one), and resolving and
// compiling some 1,500 separate modules (discord.js, Kysely, zod …) cost about twice the CPU of
// loading one file with the same code. Types are checked by `npm run typecheck`, not here.
//
// A file is written only when its bytes change, under a temporary name then renamed: the CLI
// (bin/alita-news.js) builds before every command, so a build runs while a bot runs dist/ (its
// parse worker may restart and load dist/parse-worker.js at any moment: never a half-written
// file), and in an install whose dist/ the bot's user cannot write (the Docker image) an
// up-to-date build writes nothing and succeeds.
import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, stop } from 'esbuild';

/**
 * Left out of the bundles and loaded from node_modules when they run: a native module, and a
 * driver loaded only for PostgreSQL. Production dependencies, so `npm ci --omit=dev` (the Docker
 * image) has them (test/deploy-files.test.ts checks).
 */
export const LOADED_AT_RUN_TIME = ['better-sqlite3', 'pg'];
/** Loaded only when installed (pg's native driver, discord.js's speed-ups): never required. */
export const OPTIONAL_AT_RUN_TIME = ['pg-native', 'zlib-sync', 'bufferutil', 'utf-8-validate', 'erlpack'];

/** dist/NAME.js ← the source it bundles. */
export const ENTRIES = {
  main: 'src/main.ts',
  // The parse pool starts `./parse-worker.js` beside the file that runs it: flat names keep it there.
  'parse-worker': 'src/engine/parse-worker.ts',
  demo: 'src/cli/demo.ts',
  preview: 'src/cli/preview.ts',
  'deploy-commands': 'src/cli/deploy-commands.ts',
  backup: 'src/cli/backup.ts',
};

/**
 * Builds `root`'s src/ into `root`/dist/ (npm's scripts run in the project's folder; the CLI
 * passes its own): every entry, or `only` those (the CLI builds what its command runs).
 */
export async function buildDist(root = process.cwd(), only = Object.keys(ENTRIES)) {
  await bundle(root, Object.fromEntries(only.map((name) => [name, ENTRIES[name]])), 'dist');
}

/**
 * Bundles `entryPoints` (outdir/NAME.js ← source) exactly as the bot's own bundles are made:
 * the benchmark runs its bot and naive loop from such bundles, as npm start runs dist/main.js.
 */
export async function bundle(root, entryPoints, outdir) {
  try {
    writeChanged(await build(options(resolve(root), entryPoints, outdir)));
  } finally {
    // esbuild's helper process would otherwise live as long as the process that built (the CLI).
    await stop();
  }
}

const options = (root, entryPoints, outdir) => ({
  absWorkingDir: root,
  entryPoints,
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [...LOADED_AT_RUN_TIME, ...OPTIONAL_AT_RUN_TIME],
  // CommonJS libraries inside an ES module still call require() and read __dirname.
  banner: {
    js: [
      "import { createRequire as __alitaRequire } from 'node:module';",
      "import { fileURLToPath as __alitaPath } from 'node:url';",
      "import { dirname as __alitaDir } from 'node:path';",
      'const require = __alitaRequire(import.meta.url);',
      'const __filename = __alitaPath(import.meta.url);',
      'const __dirname = __alitaDir(__filename);',
    ].join('\n'),
  },
  // Stack traces name the bundle's lines; NODE_OPTIONS=--enable-source-maps maps them to src/.
  sourcemap: 'linked',
  // V8 keeps a script's whole source in the heap, at two bytes a character once one character
  // is not Latin-1 (a curly apostrophe in a library's comment was enough): 11 MB of the bot's
  // heap for 5.5 MB of bundle. Without comments and whitespace, and every character outside
  // ASCII escaped, it is one byte a character and less than half as long. Names stay, so stack
  // traces still read without the source map.
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning',
  write: false,
});

/**
 * esbuild escapes what lies outside ASCII in strings but not in regular expressions (ours read
 * Japanese): escaped here, so V8 keeps the bundle's source at one byte a character. A \\uXXXX
 * escape means the same character in a regular expression, with or without the u flag, and in
 * a string; the bundles carry no comments (minified) where it would not. Columns after such a
 * character on its line move in the source map, which only regular expressions' lines have.
 */
export function asciiOnly(contents) {
  const text = Buffer.from(contents).toString('utf8');
  if (!/[^\x00-\x7f]/.test(text)) return contents;
  // "\’" (an identity escape) is the character itself: its backslash goes, else it would escape the new one.
  const escaped = text.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, ch) => `${slashes.slice(slashes.length % 2)}\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(escaped, 'utf8');
}

function writeChanged(result) {
  for (const output of result.outputFiles) {
    const file = output.path.endsWith('.js') ? { path: output.path, contents: asciiOnly(output.contents) } : output;
    let current;
    try {
      current = readFileSync(file.path);
    } catch {
      current = undefined;
    }
    if (current && Buffer.compare(current, file.contents) === 0) continue;
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDist();
