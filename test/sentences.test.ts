/**
 * The sentence rule's pieces that are not the regex: its table of spaces must be `\s` exactly
 * (topic-tokens.test.ts holds the marks, found while folding, to the regex's sentences).
 */
import { describe, expect, it } from 'vitest';
import { endAtMark, isSpace } from '../src/engine/sentences.ts';

describe('isSpace', () => {
  it('is what \\s matches, for every UTF-16 unit', () => {
    const differ: string[] = [];
    for (let code = 0; code < 0x10000; code++) if (isSpace(code) !== /\s/.test(String.fromCharCode(code))) differ.push(code.toString(16));
    expect(differ).toEqual([]);
  });
});

describe('endAtMark', () => {
  it('ends a sentence after its mark and the spaces that go with it, and not after a title, a bare dash or a decimal point', () => {
    expect(endAtMark('Alita. Ido', 5, 0)).toBe(7);
    expect(endAtMark('Dr. Ido', 2, 0)).toBe(-1);
    expect(endAtMark('ADr. Ido', 3, 0)).toBe(5);
    expect(endAtMark('3.5', 1, 0)).toBe(-1);
    expect(endAtMark('a–b', 1, 0)).toBe(-1);
    expect(endAtMark('a – b', 2, 0)).toBe(4);
    expect(endAtMark('(x', 0, 0)).toBe(1);
    expect(endAtMark('続編。。', 2, 0)).toBe(4);
  });
});
