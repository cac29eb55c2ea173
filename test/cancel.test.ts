import { describe, expect, it } from 'vitest';
import { Cancel } from '../src/engine/cancel.ts';

describe('Cancel, the abort switch of one fetch', () => {
  it('calls each listener once, with the first reason kept', () => {
    const cancel = new Cancel();
    const calls: string[] = [];
    const first = () => calls.push(`first:${String(cancel.reason)}`);
    cancel.addEventListener('abort', first);
    cancel.addEventListener('abort', first); // as EventTarget: the same listener twice is one listener
    cancel.addEventListener('abort', () => calls.push('second'));
    cancel.abort('timeout');
    cancel.abort('later');
    expect(calls).toEqual(['first:timeout', 'second']);
    expect(cancel.aborted).toBe(true);
    expect(cancel.reason).toBe('timeout');
  });

  it('does not call a listener removed before the abort', () => {
    const cancel = new Cancel();
    let called = false;
    const listener = () => (called = true);
    cancel.addEventListener('abort', listener);
    cancel.removeEventListener('abort', listener);
    cancel.abort(new Error('gone'));
    expect(called).toBe(false);
  });

  it('throws its reason once aborted, and nothing before', () => {
    const cancel = new Cancel();
    expect(() => cancel.throwIfAborted()).not.toThrow();
    const reason = new Error('stop');
    cancel.abort(reason);
    expect(() => cancel.throwIfAborted()).toThrow(reason);
  });

  it('does not call a listener that an earlier one removed during the abort, nor one added after it', () => {
    const cancel = new Cancel();
    const calls: string[] = [];
    const b = () => calls.push('b');
    cancel.addEventListener('abort', () => {
      calls.push('a');
      cancel.removeEventListener('abort', b);
    });
    cancel.addEventListener('abort', b);
    cancel.abort('x');
    cancel.addEventListener('abort', () => calls.push('late'));
    cancel.abort('y');
    expect(calls).toEqual(['a']);
  });
});
