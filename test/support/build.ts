/**
 * vitest globalSetup: compiles src/ and commands/ into dist/ once per run, because the tests
 * that start the bot as a process run what `npm start` runs (dist/src/main.js on plain node),
 * and dist/ must never be older than the sources under test.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './spawn.ts';

export function build(): void {
  // The package's exports hide bin/; its path is stable.
  const tsc = join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed:\n${String(stdout)}${String(stderr)}`);
  }
}

export default build;
