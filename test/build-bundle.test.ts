/**
 * The bundles `npm run build` writes are ASCII-only, so V8 keeps their source at one byte a
 * character (see scripts/build.mjs): esbuild escapes strings but not regular expressions, which
 * the build escapes itself. An escape must mean exactly the character it replaces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asciiOnly } from '../scripts/build.mjs';
import { PROJECT_ROOT } from './support/spawn.ts';

const escape = (source: string) => Buffer.from(asciiOnly(Buffer.from(source, 'utf8'))).toString('utf8');
// The escaped source, run: it must give what the original gives.
const run = (source: string): unknown => new Function(`return ${source}`)();

describe('asciiOnly', () => {
  it('escapes every character outside ASCII, in strings and in regular expressions alike', () => {
    const cases = [
      `'Rodríguez’s 「アリータ」 😀'`,
      `/[「」『』]+/u.test('「続編」')`,
      `'「続編」と監督'.replace(/(?:と|って)監督$/u, '')`,
      `/^[\\p{Script=Katakana}ー・]+$/u.test('アリータ・バトル')`,
      `/😀/u.test('x😀y') && /😀/.test('x😀y')`,
      `[..."a’b\\’c"].join('|')`,
      `/\\’/.test('’')`,
      `'\\\\’'`,
    ];
    for (const source of cases) {
      const escaped = escape(source);
      expect(escaped).not.toMatch(/[^\x00-\x7f]/);
      expect(run(escaped)).toEqual(run(source));
    }
  });

  it('leaves ASCII-only output as it is', () => {
    const bytes = Buffer.from('const a = /x/u; // plain', 'utf8');
    expect(asciiOnly(bytes)).toBe(bytes);
  });

  it('holds for the bundles the build wrote', () => {
    const dist = join(PROJECT_ROOT, 'dist');
    const bundles = readdirSync(dist).filter((f) => f.endsWith('.js'));
    expect(bundles).toContain('main.js');
    for (const file of bundles) expect(readFileSync(join(dist, file), 'utf8'), file).not.toMatch(/[^\x00-\x7f]/);
  });
});
