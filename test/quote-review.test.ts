// The quote review's replies and buttons, as pure functions: within Discord's limits, unable to ping, ids that round-trip.
import { describe, expect, it } from 'vitest';
import { parseReviewButton, quoteFromCandidate, reviewButtonId, reviewReply } from '../src/bot/quote-review.ts';
import { fitReply, REPLY_LIMITS } from '../src/bot/reply-limits.ts';
import { loadPeople } from '../src/engine/quotes/people.ts';
import type { Candidate } from '../src/store/sql/quote-candidates.ts';

const people = loadPeople();
const candidate = (over: Partial<Candidate> = {}): Candidate => ({
  id: 42, guildId: 'g1', state: 'pending', speaker: 'James Cameron', text: 'We have the whole story ready.', context: '“We have the whole story ready,” Cameron said.',
  itemId: 'i1', link: 'https://news.example.com/a', title: 'Cameron on Alita 2', outlet: 'Example News', published: '2026-11-30T10:00:00.000Z', ...over,
});

describe('the review reply', () => {
  it('shows the words, speaker, sentence and source, with Approve, Reject and a button per other person', () => {
    const reply = reviewReply(candidate(), 3, people);
    expect(reply.ephemeral).toBe(true);
    const text = JSON.stringify(reply.embeds);
    for (const part of ['We have the whole story ready.', 'James Cameron', 'Example News', 'https://news.example.com/a', '(3 waiting)']) expect(text).toContain(part);
    const labels = reply.components!.flatMap((row) => row.components.map((b) => b.label));
    expect(labels).toEqual(['Approve', 'Reject', 'Said by Robert Rodriguez', 'Said by Jon Landau', 'Said by Rosa Salazar', 'Said by Yukito Kishiro']);
  });

  it('fits Discord’s limits with the longest fields, and cannot ping', () => {
    const huge = 'x'.repeat(5000);
    const reply = fitReply(reviewReply(candidate({ text: `@everyone ${huge}`, context: `<@&1> ${huge}`, title: huge, outlet: huge, speaker: huge }), 10 ** 9, people, huge));
    const embed = reply.embeds![0]!;
    expect((embed.description ?? '').length).toBeLessThanOrEqual(REPLY_LIMITS.description);
    expect((embed.title ?? '').length).toBeLessThanOrEqual(REPLY_LIMITS.title);
    expect((reply.content ?? '').length).toBeLessThanOrEqual(REPLY_LIMITS.content);
    expect(embed.description).not.toContain('@everyone');
    for (const b of reply.components!.flatMap((row) => row.components)) {
      expect(b.custom_id.length).toBeLessThanOrEqual(100);
      expect(b.label.length).toBeLessThanOrEqual(80);
    }
  });

  it('says when nothing waits', () => {
    expect(reviewReply(undefined, 0, people).content).toContain('No quotations are waiting for review.');
  });
});

describe('review buttons', () => {
  it('round-trip their custom_id and refuse anything else', () => {
    for (const action of [{ kind: 'approve', id: 7 }, { kind: 'reject', id: 123456789012 }, { kind: 'speaker', id: 7, person: 3 }] as const) {
      expect(parseReviewButton(reviewButtonId(action))).toEqual(action);
    }
    for (const bad of ['qr:a:', 'qr:x:1', 'qr:s:1', 'qr:a:1:2', 'notify:1', 'qr:a:1e9']) expect(parseReviewButton(bad)).toBeUndefined();
  });

  it('turn an approved candidate into a quote with its link, outlet and date', () => {
    const quote = quoteFromCandidate(candidate(), people, 'mod', 'james-cameron-2026-11-30-abc123');
    expect(quote).toMatchObject({ speaker: 'James Cameron', role: 'producer', date: '2026-11-30', text: 'We have the whole story ready.', addedBy: 'mod',
      source: { title: 'Cameron on Alita 2', url: 'https://news.example.com/a', date: '2026-11-30', via: 'Example News' } });
  });
});
