import { describe, expect, it } from 'vitest';
import { ShortMemo } from '../src/engine/short-memo.ts';

/** A memo over a function that counts its calls per key. */
function counted(maxKeys: number, maxKeyLength?: number) {
  const calls = new Map<string, number>();
  const memo = new ShortMemo((key: string) => {
    calls.set(key, (calls.get(key) ?? 0) + 1);
    return key.toUpperCase();
  }, maxKeys, maxKeyLength);
  return { memo, calls };
}

describe('ShortMemo', () => {
  it('computes a short key once and answers it from memory after', () => {
    const { memo, calls } = counted(10);
    expect(memo.get('alita')).toBe('ALITA');
    expect(memo.get('alita')).toBe('ALITA');
    expect(memo.get('ido')).toBe('IDO');
    expect(calls.get('alita')).toBe(1);
    expect(calls.get('ido')).toBe(1);
  });

  it('computes a key longer than the limit every time, and never keeps it', () => {
    const { memo, calls } = counted(10, 5);
    const long = 'battleangel';
    expect(memo.get(long)).toBe('BATTLEANGEL');
    expect(memo.get(long)).toBe('BATTLEANGEL');
    expect(calls.get(long)).toBe(2);
    // A key at the limit is short.
    memo.get('zalem');
    memo.get('zalem');
    expect(calls.get('zalem')).toBe(1);
  });

  it('starts over when full: the oldest answers are computed again', () => {
    const { memo, calls } = counted(2);
    memo.get('a');
    memo.get('b');
    memo.get('c'); // full: starts over with c alone
    memo.get('c');
    memo.get('a');
    expect(calls.get('c')).toBe(1);
    expect(calls.get('a')).toBe(2);
  });

  it('keeps an answer that is falsy but defined', () => {
    const calls: string[] = [];
    const memo = new ShortMemo((key: string) => {
      calls.push(key);
      return key.length === 0 ? 0 : '';
    }, 10);
    expect(memo.get('x')).toBe('');
    expect(memo.get('x')).toBe('');
    expect(calls).toEqual(['x']);
  });
});
