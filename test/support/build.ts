/**
 * vitest globalSetup: builds dist/ once per run (`npm run build`: the bundles of
 * scripts/build.mjs), because the tests that start the bot as a process run what `npm start`
 * runs (dist/main.js on plain node), and dist/ must never be older than the sources under test.
 */
import { execFileSync } from 'node:child_process';
import { PROJECT_ROOT } from './spawn.ts';

export function build(): void {
  try {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npm run build failed:\n${String(stdout)}${String(stderr)}`);
  }
}

export default build;
