// planRecord: what one poll changes, per channel scope and for the archive, from what is known.
import { describe, expect, it } from 'vitest';
import { storyTitleHash, type Judged } from '../src/engine/dedupe.ts';
import { ARCHIVE_SCOPE, planRecord, type Known, type StoryMarkRow, type Target } from '../src/engine/record-plan.ts';
import type { NewsItem } from '../src/engine/types.ts';

const NOW = new Date('2024-03-01T12:00:00Z');
const A: Target = { channelId: '100000000000000001', guildId: '900000000000000001' };
const B: Target = { channelId: '100000000000000002', guildId: '900000000000000002', roleId: '300000000000000002' };

function judged(n: number, over: Partial<NewsItem> = {}, relevant = true): Judged {
  const item: NewsItem = { id: `id-${n}`, feed: 'f', source: 's', title: `Alita 2 news number ${n}`, summary: '', published: new Date(Date.UTC(2024, 1, 28, n)).toISOString(), ...over };
  return { item, verdict: { relevant, reasons: [] } };
}
const nothing: Known = { seen: new Set(), marks: [] };
const plan = (items: Judged[], known = nothing, more: { targets?: Target[]; firstPoll?: boolean; backfill?: number } = {}) =>
  planRecord({ judged: items, known, targets: more.targets ?? [A, B], firstPoll: more.firstPoll ?? false, backfill: more.backfill ?? 0, now: NOW });
const mark = (scope: string, n: number, at = judged(n).item.published!): StoryMarkRow => ({ scope, titleHash: storyTitleHash(judged(n).item.title), itemId: `elsewhere-${n}`, at });

describe('planRecord', () => {
  it('announces new on-topic items in every target, oldest first, and archives them', () => {
    const p = plan([judged(3), judged(1), judged(2, {}, false)]);
    expect(p.announcements.map((a) => [a.target.channelId, a.items.map((i) => i.id)])).toEqual([[A.channelId, ['id-1', 'id-3']], [B.channelId, ['id-1', 'id-3']]]);
    expect(p.archive.map((i) => i.id).sort()).toEqual(['id-1', 'id-3']);
    expect(p.seen.map((s) => [s.itemId, s.relevant])).toEqual([['id-3', true], ['id-1', true], ['id-2', false]]);
    expect(p.announced.map((i) => i.id)).toEqual(['id-1', 'id-3']);
    expect(p.onTopic).toBe(2);
    // Marks for the archive and for each channel, on-topic items only (nothing else is kept).
    expect(p.marks.filter((m) => m.scope === ARCHIVE_SCOPE)).toHaveLength(2);
    expect(p.marks.filter((m) => m.scope === A.channelId).map((m) => m.itemId).sort()).toEqual(['id-1', 'id-3']);
  });

  it('skips what was seen, and a story already announced in a channel within 48 hours, per channel', () => {
    const known: Known = { seen: new Set(['id-1']), marks: [mark(A.channelId, 2)] };
    const p = plan([judged(1), judged(2)], known);
    expect(p.announcements).toEqual([{ target: B, items: [judged(2).item] }]);
    expect(p.seen.map((s) => s.itemId)).toEqual(['id-2']);
    // A's mark is not rewritten; B gets one.
    expect(p.marks.filter((m) => m.scope !== ARCHIVE_SCOPE)).toEqual([expect.objectContaining({ scope: B.channelId, itemId: 'id-2' })]);
  });

  it('an item new to this feed goes to the channels that lack it, not to one that holds it under another title', () => {
    // id-5 reached A through another feed, titled differently then; this feed brings it to everyone.
    const held: StoryMarkRow = { scope: A.channelId, titleHash: storyTitleHash('An older headline'), itemId: 'id-5', at: judged(5).item.published! };
    const p = plan([judged(5)], { seen: new Set(), marks: [held] });
    expect(p.announcements).toEqual([{ target: B, items: [judged(5).item] }]);
  });

  it('a title seen again after 48 hours is another story (a weekly column)', () => {
    const weekAgo = new Date(Date.parse(judged(2).item.published!) - 7 * 24 * 3600_000).toISOString();
    const p = plan([judged(2)], { seen: new Set(), marks: [mark(A.channelId, 2, weekAgo), mark(ARCHIVE_SCOPE, 2, weekAgo)] });
    expect(p.announcements.map((a) => a.target.channelId)).toEqual([A.channelId, B.channelId]);
    expect(p.archive).toHaveLength(1);
  });

  it('an archived story is not archived twice, even when a channel still announces it', () => {
    const p = plan([judged(2)], { seen: new Set(), marks: [mark(ARCHIVE_SCOPE, 2)] });
    expect(p.archive).toEqual([]);
    expect(p.announcements).toHaveLength(2);
  });

  it('the same story twice in one poll is announced once', () => {
    const p = plan([judged(1), judged(1, { id: 'id-1-mirror', link: 'https://mirror.example/1' })], nothing, { targets: [A] });
    expect(p.announcements[0]!.items.map((i) => i.id)).toEqual(['id-1']);
    expect(p.seen).toHaveLength(2);
  });

  it('a first poll announces only its newest `backfill` stories, but marks them all', () => {
    expect(plan([judged(1), judged(2), judged(3)], nothing, { firstPoll: true }).announcements).toEqual([]);
    const p = plan([judged(1), judged(2), judged(3)], nothing, { firstPoll: true, backfill: 2 });
    expect(p.announcements[0]!.items.map((i) => i.id)).toEqual(['id-2', 'id-3']);
    expect(p.marks.filter((m) => m.scope === A.channelId)).toHaveLength(3);
    expect(p.archive).toHaveLength(3);
  });

  it('with no targets it still records and archives', () => {
    const p = plan([judged(1)], nothing, { targets: [] });
    expect(p.announcements).toEqual([]);
    expect(p.archive).toHaveLength(1);
    expect(p.seen).toHaveLength(1);
  });
});

describe('planRecord: quotations for the review queues', () => {
  const quote = { speaker: 'James Cameron', text: 'We have the whole story of the second film ready.', context: 'c' };
  const withQuote = (n: number) => ({ ...judged(n), quotes: [quote] });

  it('proposes a quotation to the servers its story is announced in, and to no other', () => {
    const known: Known = { seen: new Set(), marks: [mark(A.channelId, 1)] };
    const p = plan([withQuote(1)], known);
    // A already had the story (another outlet's copy): its message grows, and the quotation is A's to review too.
    expect(p.quotes.map((q) => q.guildId).sort()).toEqual([A.guildId, B.guildId]);
    const off = plan([withQuote(2), judged(3)], nothing, { targets: [A, { channelId: '100000000000000009' }] });
    expect(off.quotes).toEqual([{ guildId: A.guildId, item: judged(2).item, quote }]);
  });

  it('proposes nothing for an item not announced (seen before, off topic, or beyond the first poll’s backfill)', () => {
    expect(plan([withQuote(1)], { seen: new Set(['id-1']), marks: [] }).quotes).toEqual([]);
    expect(plan([{ ...withQuote(2), verdict: { relevant: false, reasons: [] } }]).quotes).toEqual([]);
    expect(plan([withQuote(3), withQuote(4)], nothing, { firstPoll: true, backfill: 1 }).quotes.map((q) => q.item.id)).toEqual(['id-4', 'id-4']);
  });
});
