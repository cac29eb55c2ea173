// `npm run build` (and npm start, demo, preview, deploy-commands, which build first): the bot and
// its libraries bundled by esbuild into a few files in dist/, run on plain `node`. A bot process
// starts often (every restart, every instance, every test that kills one), and resolving and
// compiling some 1,500 separate modules (discord.js, Kysely, zod …) cost about twice the CPU of
// loading one file with the same code. Types are checked by `npm run typecheck`, not here.
import { build } from 'esbuild';

await build({
  entryPoints: {
    main: 'src/main.ts',
    // The parse pool starts `./parse-worker.js` beside the file that runs it: flat names keep it there.
    'parse-worker': 'src/engine/parse-worker.ts',
    demo: 'src/cli/demo.ts',
    preview: 'src/cli/preview.ts',
    'deploy-commands': 'src/cli/deploy-commands.ts',
  },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // A native module, a driver loaded only for PostgreSQL, and discord.js's optional speed-ups.
  external: ['better-sqlite3', 'pg', 'pg-native', 'zlib-sync', 'bufferutil', 'utf-8-validate', 'erlpack'],
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
  logLevel: 'warning',
});
