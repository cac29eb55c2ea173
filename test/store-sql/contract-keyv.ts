/** The Keyv adapter and the quotes on it, on any engine. */
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { KeyvSqlStore } from '../../src/store/sql/keyv-store.ts';
import type { Quote } from '../../src/store/sql/quotes.ts';
import { freshStores, until, type Engine } from './fixtures.ts';

const quote = (id: string, text = `Quote ${id}`): Quote => ({ id, speaker: 'Robert Rodriguez', date: '2024', text, source: { title: 'Interview' } });

export function keyvContract(engine: () => Engine): void {
  describe('keyv adapter', () => {
    const current = freshStores(engine);
    const keyvOn = (namespace: string) => {
      const { stores, log } = current();
      return new Keyv({ store: new KeyvSqlStore(stores.database, log), namespace, throwOnErrors: true });
    };

    it('gets, sets, deletes, has, many at once', async () => {
      const keyv = keyvOn('ns1');
      expect(await keyv.get('missing')).toBeUndefined();
      await keyv.set('a', { n: 1 });
      await keyv.set('a', { n: 2 });
      await keyv.setMany([{ key: 'b', value: 'text' }, { key: 'c', value: [1, 2] }]);
      expect(await keyv.get('a')).toEqual({ n: 2 });
      expect(await keyv.getMany(['c', 'x', 'b'])).toEqual([[1, 2], undefined, 'text']);
      expect(await keyv.has('b')).toBe(true);
      expect(await keyv.delete('b')).toBe(true);
      expect(await keyv.delete('b')).toBe(false);
      expect(await keyv.has('b')).toBe(false);
      await keyv.set('short', 1, 1);
      await until(async () => (await keyv.get('short')) === undefined);
    });

    it('clears and iterates one namespace only, in pages', async () => {
      const one = keyvOn('one');
      const two = keyvOn('two');
      await one.setMany(Array.from({ length: 450 }, (_, i) => ({ key: `k:${String(i).padStart(3, '0')}`, value: i })));
      await two.set('k', 'other');
      const seen: Array<[string, unknown]> = [];
      for await (const pair of one.iterator!(undefined)) seen.push(pair as [string, unknown]);
      expect(seen).toHaveLength(450);
      expect(seen[0]).toEqual(['k:000', 0]);
      await one.clear();
      expect(await one.get('k:001')).toBeUndefined();
      expect(await two.get('k')).toBe('other');
    });
  });

  describe('quotes', () => {
    const current = freshStores(engine);

    it('seeds bundled quotes once and never brings back a removed one', async () => {
      const { quotes } = current().stores;
      expect(await quotes.seed([quote('q1'), quote('q2')])).toBe(2);
      expect(await quotes.seed([quote('q1'), quote('q2'), quote('q3')])).toBe(1);
      expect((await quotes.removeBundled('q2'))?.id).toBe('q2');
      expect(await quotes.seed([quote('q1'), quote('q2'), quote('q3')])).toBe(0);
      expect((await quotes.forGuild()).map((q) => q.id)).toEqual(['q1', 'q3']);
    });

    it('scopes quotes: a server sees bundled and its own, adds within its limit, removes only its own', async () => {
      const { quotes } = current().stores;
      await quotes.seed([quote('b1')]);
      expect(await quotes.add('g1', quote('m1'), 2)).toBe('added');
      expect(await quotes.add('g1', quote('m2'), 2)).toBe('added');
      expect(await quotes.add('g1', quote('m3'), 2)).toBe('limit');
      // Replacing one of its own is not a new quote.
      expect(await quotes.add('g1', quote('m2', 'edited'), 2)).toBe('added');
      expect(await quotes.add('g2', quote('m1'), 2)).toBe('added');
      expect(await quotes.count('g1')).toBe(2);
      expect((await quotes.forGuild('g1')).map((q) => q.text)).toEqual(['Quote b1', 'Quote m1', 'edited']);
      expect((await quotes.forGuild('g2')).map((q) => q.id)).toEqual(['b1', 'm1']);
      expect(await quotes.remove('g1', 'b1')).toBeUndefined();
      expect(await quotes.remove('bundled', 'b1')).toBeUndefined();
      expect(await quotes.remove('g2', 'm2')).toBeUndefined();
      expect((await quotes.remove('g1', 'm1'))?.id).toBe('m1');
      expect((await quotes.forGuild('g1')).map((q) => q.id)).toEqual(['b1', 'm2']);
      expect((await quotes.forGuild('g2')).map((q) => q.id)).toEqual(['b1', 'm1']);
    });
  });
}
