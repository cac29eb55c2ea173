/** The quote review queue on any engine: one candidate per server and quotation, the earliest source, decisions once. */
import { describe, expect, it } from 'vitest';
import { insertCandidates, type NewCandidate } from '../../src/store/sql/quote-candidates.ts';
import { at, freshStores, type Engine } from './fixtures.ts';

const found = (over: Partial<NewCandidate> = {}): NewCandidate => ({
  guildId: 'g1',
  speaker: 'James Cameron',
  text: 'We have the whole story of the second film ready to go.',
  context: '“We have the whole story of the second film ready to go,” Cameron said.',
  itemId: 'i1',
  link: 'https://a.example/1',
  title: 'Cameron on Alita 2',
  outlet: 'A News',
  published: at(10),
  ...over,
});

export function quoteCandidatesContract(engine: () => Engine): void {
  describe('quote candidates', () => {
    const current = freshStores(engine);
    const insert = (candidates: NewCandidate[]) => current().stores.database.transaction((trx) => insertCandidates(trx, candidates, new Date(at(20))));

    it('keeps one candidate per server and quotation, with the earliest source', async () => {
      const { candidates } = current().stores;
      await insert([found()]);
      // The same words (other marks, case) from a later outlet, then from an earlier one; another server's copy.
      await insert([found({ text: 'we have the whole story of the second film ready to go', itemId: 'i2', link: 'https://b.example/2', outlet: 'B', published: at(15) })]);
      await insert([found({ itemId: 'i3', link: 'https://c.example/3', outlet: 'C', published: at(5) }), found({ guildId: 'g2' })]);
      const { candidate, pending } = await candidates.next('g1');
      expect(pending).toBe(1);
      expect(candidate).toMatchObject({ itemId: 'i3', link: 'https://c.example/3', outlet: 'C', published: at(5), state: 'pending' });
      expect((await candidates.next('g2')).pending).toBe(1);
    });

    it('decides a candidate once, and a rejected one never comes back', async () => {
      const { candidates } = current().stores;
      await insert([found()]);
      const id = (await candidates.next('g1')).candidate!.id;
      expect(await candidates.decide('g2', id, 'approved', 'm', new Date(at(30)))).toBe(false);
      const both = await Promise.all([candidates.decide('g1', id, 'rejected', 'm1', new Date(at(30))), candidates.decide('g1', id, 'approved', 'm2', new Date(at(30)))]);
      expect(both.filter(Boolean)).toHaveLength(1);
      await insert([found({ itemId: 'i9', published: at(1) })]);
      expect(await candidates.next('g1')).toEqual({ pending: 0 });
    });

    it('queues nothing for a server that turned its queue off', async () => {
      const { candidates } = current().stores;
      expect(await candidates.enabled('g1')).toBe(true);
      await candidates.setEnabled('g1', false, 'm', new Date(at(0)));
      await insert([found(), found({ guildId: 'g2' })]);
      expect((await candidates.next('g1')).pending).toBe(0);
      expect((await candidates.next('g2')).pending).toBe(1);
      await candidates.setEnabled('g1', true, 'm', new Date(at(1)));
      expect(await candidates.enabled('g1')).toBe(true);
    });
  });
}
