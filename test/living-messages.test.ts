// Living story messages, the pure parts: which repeats become edits, and the "Also reported by" field.
import { describe, expect, it } from 'vitest';
import type { Judged } from '../src/engine/dedupe.ts';
import { formatAnnouncement, OUTLETS_SHOWN, withOutlets } from '../src/engine/format.ts';
import { planRecord, type StoryMarkRow } from '../src/engine/record-plan.ts';
import type { NewsItem } from '../src/engine/types.ts';
import { validateMessageBody } from './support/discord-schema.ts';

const now = new Date('2024-03-01T12:00:00Z');
const story = (id: string, source: string, over: Partial<NewsItem> = {}): Judged => ({
  item: { id, feed: `https://${source}.example/feed`, source, title: 'Alita 2 is happening', summary: '', link: `https://news.example/${id}`, published: '2024-03-01T10:00:00.000Z', ...over },
  verdict: { relevant: true, reasons: [] },
});

describe('withOutlets', () => {
  const embeds = formatAnnouncement(story('a', 'First').item).embeds;
  it('names each other outlet once, linked, and as Discord accepts it', () => {
    const grown = withOutlets(embeds, [{ source: 'Film Wire', link: 'https://w.example/1' }, { source: 'film wire', link: 'https://w.example/2' }, { source: 'Reddit (r/alita)' }]);
    expect(grown[0]!.fields).toEqual([{ name: 'Also reported by', value: '[Film Wire](https://w.example/1) · Reddit \\(r/alita\\)' }]);
    expect(validateMessageBody({ embeds: grown, allowed_mentions: { parse: [] } })).toEqual([]);
    expect(withOutlets(embeds, [{ source: 'X' }])).toEqual(withOutlets(embeds, [{ source: 'X' }]));
  });

  it(`shows at most ${OUTLETS_SHOWN}, and how many more`, () => {
    const outlets = Array.from({ length: 8 }, (_, i) => ({ source: `Outlet ${i + 1}` }));
    expect(withOutlets(embeds, outlets)[0]!.fields![0]!.value).toBe('Outlet 1 · Outlet 2 · Outlet 3 · Outlet 4 · Outlet 5 and 3 more');
    expect(withOutlets(embeds, [])).toBe(embeds);
  });
});

describe('planRecord: repeats become edits of the story told before', () => {
  const mark = (scope: string, itemId: string): StoryMarkRow => ({ scope, titleHash: '', itemId, at: '2024-03-01T10:00:00.000Z' });
  it('edits the story in each channel that has it, naming the new outlet', async () => {
    const { storyTitleHash } = await import('../src/engine/dedupe.ts');
    const hash = storyTitleHash('Alita 2 is happening');
    const known = { seen: new Set<string>(), marks: [{ ...mark('c1', 'orig'), titleHash: hash }] };
    const plan = planRecord({ judged: [story('b', 'Film Wire')], known, targets: [{ channelId: 'c1' }, { channelId: 'c2' }], firstPoll: false, backfill: 0, now });
    expect(plan.edits).toEqual([{ channelId: 'c1', itemId: 'orig', cause: 'b', outlet: { source: 'Film Wire', link: 'https://news.example/b' } }]);
    expect(plan.announcements.map((a) => a.target.channelId)).toEqual(['c2']);
  });
});

describe('updateEdits: a publisher\'s change to an announced story', () => {
  const format = (item: NewsItem) => formatAnnouncement(item);
  const announced = (updates = 0) => [{ channelId: 'c1', itemId: 'a', body: formatAnnouncement(story('a', 'First').item), updates }];
  it('edits the message when its title, excerpt or link changed, with a cause naming the new text', async () => {
    const { updateEdits } = await import('../src/engine/updates.ts');
    expect(updateEdits(announced(), [story('a', 'First')], format)).toEqual([]);
    const changed = [story('a', 'First', { title: 'Alita 2 is happening, Cameron says' })];
    const [edit] = updateEdits(announced(), changed, format);
    expect(edit).toMatchObject({ channelId: 'c1', itemId: 'a', cause: expect.stringMatching(/^update:[0-9a-f]{24}$/) });
    expect(edit!.embeds![0]!.title).toBe('Alita 2 is happening, Cameron says');
    expect(updateEdits(announced(), changed, format)[0]!.cause).toBe(edit!.cause);
  });

  it('stops after 3 updates, and ignores items judged off topic now', async () => {
    const { updateEdits, MAX_UPDATES } = await import('../src/engine/updates.ts');
    const changed = story('a', 'First', { title: 'Changed' });
    expect(updateEdits(announced(MAX_UPDATES), [changed], format)).toEqual([]);
    expect(updateEdits(announced(), [{ ...changed, verdict: { relevant: false, reasons: [] } }], format)).toEqual([]);
  });
});
