/**
 * The quote review: a moderator sees the next quotation found in this server's announced stories,
 * with its sentence and link, and approves it (it becomes one of the server's /quote quotes, with
 * its source), rejects it (never proposed again) or says who really said it. Pure replies here;
 * the buttons are pressed in src/discord/review-buttons.ts.
 */
import type { ActionRow, CommandReply } from './command.ts';
import { privately } from './command.ts';
import { fitText, REPLY_LIMITS } from './reply-limits.ts';
import { humanDate, maskedLink } from './text.ts';
import { escapeDiscordText } from '../engine/format.ts';
import { truncateAtWord } from '../engine/text.ts';
import type { People } from '../engine/quotes/people.ts';
import type { Candidate } from '../store/sql/quote-candidates.ts';
import type { Quote } from '../store/sql/quotes.ts';

/** Every review button's custom_id starts so: `qr:a:<id>`, `qr:r:<id>`, `qr:s:<id>:<person>` — far under Discord's 100. */
export const REVIEW_PREFIX = 'qr:';
export type ReviewAction = { kind: 'approve' | 'reject'; id: number } | { kind: 'speaker'; id: number; person: number };

export function reviewButtonId(action: ReviewAction): string {
  if (action.kind === 'speaker') return `${REVIEW_PREFIX}s:${action.id}:${action.person}`;
  return `${REVIEW_PREFIX}${action.kind === 'approve' ? 'a' : 'r'}:${action.id}`;
}

export function parseReviewButton(customId: string): ReviewAction | undefined {
  const m = /^qr:([ars]):(\d{1,15})(?::(\d{1,3}))?$/.exec(customId);
  if (!m) return undefined;
  const id = Number(m[2]);
  if (m[1] === 's') return m[3] === undefined ? undefined : { kind: 'speaker', id, person: Number(m[3]) };
  return m[3] === undefined ? { kind: m[1] === 'a' ? 'approve' : 'reject', id } : undefined;
}

const EMBED_COLOR = 0x8e44ad;

/** Pure: one candidate as the moderator sees it, with its buttons. `note` says what the last press did. */
export function reviewReply(candidate: Candidate | undefined, pending: number, people: People, note?: string): CommandReply {
  const head = note ? `${note}\n` : '';
  if (!candidate) return { ...privately(`${head}No quotations are waiting for review. The bot proposes what ${listedPeople(people)} say in the stories it announces here.`), components: [] };
  const source = maskedLink(truncateAtWord(candidate.title, 200), candidate.link);
  const lines = [
    `— **${escapeDiscordText(candidate.speaker)}**`,
    '',
    `*${escapeDiscordText(truncateAtWord(candidate.context, 600))}*`,
    '',
    `Source: ${source} (${escapeDiscordText(truncateAtWord(candidate.outlet, 100))}), ${humanDate(candidate.published.slice(0, 10))}`,
  ];
  const tail = lines.join('\n');
  const words = fitText(escapeDiscordText(candidate.text), REPLY_LIMITS.description - tail.length - 6);
  const others = people.people.map((p, index) => ({ p, index })).filter(({ p }) => p.name !== candidate.speaker).slice(0, 5);
  const components: ActionRow[] = [
    { type: 1, components: [
      { type: 2, style: 3, label: 'Approve', custom_id: reviewButtonId({ kind: 'approve', id: candidate.id }) },
      { type: 2, style: 4, label: 'Reject', custom_id: reviewButtonId({ kind: 'reject', id: candidate.id }) },
    ] },
    { type: 1, components: others.map(({ p, index }) => ({ type: 2 as const, style: 2 as const, label: fitText(`Said by ${p.name}`, 80), custom_id: reviewButtonId({ kind: 'speaker', id: candidate.id, person: index }) })) },
  ];
  return {
    ephemeral: true,
    ...(note ? { content: fitText(note, REPLY_LIMITS.content) } : {}),
    embeds: [{ title: `Quote to review (${pending} waiting)`, description: `“${words}”\n${tail}`, color: EMBED_COLOR, footer: { text: 'Approve: it joins this server’s /quote. Reject: never proposed again.' } }],
    components: components.filter((row) => row.components.length > 0),
  };
}

function listedPeople(people: People): string {
  const names = people.people.map((p) => p.name);
  return names.length < 2 ? (names[0] ?? 'the people in data/people.json') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** Pure: an approved candidate as one of the server's quotes, with its source link, outlet and date. */
export function quoteFromCandidate(candidate: Candidate, people: People, approvedBy: string, id: string): Quote {
  const role = people.people.find((p) => p.name === candidate.speaker)?.role;
  return {
    id,
    speaker: candidate.speaker,
    ...(role ? { role } : {}),
    date: candidate.published.slice(0, 10),
    text: candidate.text,
    context: truncateAtWord(candidate.context, 300),
    source: { title: truncateAtWord(candidate.title, 200), ...(candidate.link ? { url: candidate.link } : {}), date: candidate.published.slice(0, 10), via: truncateAtWord(candidate.outlet, 100) },
    addedBy: approvedBy,
  };
}
