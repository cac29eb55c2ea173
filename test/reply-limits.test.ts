// The reply-limits helper alone, with seeded random and adversarial text: whatever a command
// builds, what leaves the bot is within Discord's limits and never cut inside markdown.
import { describe, expect, it } from 'vitest';
import type { CommandReply, ReplyEmbed } from '../src/bot/command.ts';
import { clipChoice, fitLines, fitReply, fitText, length } from '../src/bot/reply-limits.ts';
import { codeSpan, maskedLink } from '../src/bot/text.ts';
import { renderReply } from '../src/console/render.ts';
import { escapeDiscordText } from '../src/engine/format.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { seededRandom } from './support/random.ts';

const random = seededRandom(20240601);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const int = (max: number) => Math.floor(random() * (max + 1));
const CHARS = Array.from('*_~|`>[]()\\<@#-+ abcé😀\u0301👨‍👩‍👧');
const raw = (n: number) => Array.from({ length: n }, () => pick(CHARS)).join('').replace(/\s+/g, ' ');
const asMessage = (reply: CommandReply) => validateMessageBody({ ...reply, allowed_mentions: { parse: [] } });

type Piece = { kind: 'word' | 'link' | 'mention' | 'code'; text: string; label?: string };
function piece(): Piece {
  switch (pick(['word', 'word', 'link', 'mention', 'code'] as const)) {
    case 'link': {
      const label = raw(1 + int(30));
      return { kind: 'link', text: maskedLink(label, `https://x.example/${raw(int(60)).replace(/\s/g, '')}`), label: escapeDiscordText(label) };
    }
    case 'mention':
      return { kind: 'mention', text: pick(['<@123456789012345678>', '<#123456789012345678>', '<@&123456789012345678>', '<https://x.example/a_b>']) };
    case 'code':
      return { kind: 'code', text: codeSpan(raw(int(40))) };
    default:
      return { kind: 'word', text: escapeDiscordText(raw(1 + int(20)).replace(/\s/g, '')) };
  }
}

/**
 * The cut text must be whole pieces (a link maybe as its words alone, when it could not fit),
 * then at most part of a word, of an unlinked label, or a code span closed again.
 */
function expectAligned(out: string, pieces: Piece[], seps: string[]): void {
  const body = out.replace(/…$/, '');
  let at = 0;
  let k = 0;
  for (; k < pieces.length; k++) {
    const whole = [pieces[k]!.text, pieces[k]!.label].find((t) => t !== undefined && body.startsWith(t + seps[k]!, at));
    if (whole === undefined) break;
    at += whole.length + seps[k]!.length;
  }
  const rest = body.slice(at);
  if (!rest) return;
  const next = pieces[k]!;
  // Whole, maybe with the start of its separator (", " cut at its space).
  if ([next.text, next.label].some((t) => t !== undefined && rest.startsWith(t) && seps[k]!.startsWith(rest.slice(t.length)))) return;
  if (next.kind === 'word') return expect(next.text.startsWith(rest), JSON.stringify({ rest, next, sep: seps[k], out: out.slice(-200) })).toBe(true);
  if (next.kind === 'link') return expect(next.label!.startsWith(rest), JSON.stringify({ rest, next, sep: seps[k], out: out.slice(-300) })).toBe(true);
  if (next.kind === 'code') return expect(out).toMatch(/^[^]*`[^`]*…`$/u);
  throw new Error(`cut inside ${next.kind} ${next.text}: ${JSON.stringify(rest)}`);
}

describe('fitText', () => {
  it('leaves text that fits alone, counting code points as Discord does', () => {
    const emoji = '😀'.repeat(2000);
    expect(fitText(emoji, 2000)).toBe(emoji);
    expect(length(emoji)).toBe(2000);
    expect(fitText('short', 5)).toBe('short');
  });

  it('cuts at a line break, else a space, with an ellipsis', () => {
    expect(fitText('first line here\nsecond line that is long', 20)).toBe('first line here…');
    expect(fitText('one two three four five six', 16)).toBe('one two three…');
    expect(fitText('abcdefghij', 5)).toBe('abcd…');
  });

  it('never leaves a lone backslash, even when every character is escaped', () => {
    const escaped = escapeDiscordText('\\'.repeat(500) + '*'.repeat(500));
    for (let max = 1; max < 200; max++) {
      const out = fitText(escaped, max);
      expect(length(out)).toBeLessThanOrEqual(max);
      expect(out.replace(/…$/, '').match(/\\*$/)![0].length % 2).toBe(0);
    }
  });

  it('keeps a link whole, or its words without the link when it alone is too long', () => {
    const link = maskedLink('Alita 2 confirmed', `https://x.example/${'a'.repeat(200)}`);
    expect(fitText(`${'word '.repeat(40)}${link}`, 220)).toBe(`${'word '.repeat(40).trim()}…`);
    expect(fitText(link, 100)).toBe('Alita 2 confirmed');
    expect(fitText(`see ${link} now`, 12)).toBe('see Alita 2…');
    expect(fitText(codeSpan('x'.repeat(300)), 20)).toBe(`\`${'x'.repeat(17)}…\``);
  });

  it('random markdown, links, mentions and code: within max, cut only between pieces or inside a word', () => {
    for (let run = 0; run < 400; run++) {
      const pieces = Array.from({ length: 1 + int(40) }, piece);
      const seps = pieces.map(() => pick([' ', ' ', '\n', ', ']));
      const text = pieces.map((p, i) => p.text + seps[i]).join('');
      const max = 1 + int(length(text) + 10);
      const out = fitText(text, max);
      expect(length(out)).toBeLessThanOrEqual(max);
      if (length(text) <= max) expect(out).toBe(text);
      else expectAligned(out, pieces, seps);
      expect(out.replace(/…`?$/, '').match(/\\*$/)![0].length % 2).toBe(0);
    }
  });
});

describe('fitLines', () => {
  it('keeps whole lines and counts the entries left out, headings not counted', () => {
    const lines = [{ text: '**Heading**', entry: false }, ...Array.from({ length: 50 }, (_, i) => `• item ${i} ${'x'.repeat(30)}`)];
    const out = fitLines(lines, 300);
    const shown = out.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(length(out)).toBeLessThanOrEqual(300);
    expect(out.split('\n').at(-1)).toBe(`…and ${50 - shown} more`);
    expect(fitLines(['a', 'b'], 100, { separator: ', ', omitted: 3 })).toBe('a, b, …and 3 more');
  });

  it('random lists: every line whole or the count line, within max', () => {
    for (let run = 0; run < 300; run++) {
      const lines = Array.from({ length: int(30) }, (_, i) => `${i}:${escapeDiscordText(raw(int(80)))}`);
      const max = 40 + int(2000);
      const omitted = pick([0, 0, int(20)]);
      const out = fitLines(lines, max, { omitted });
      expect(length(out)).toBeLessThanOrEqual(max);
      const outLines = out ? out.split('\n') : [];
      const kept = outLines.filter((l) => !/^…and \d+ more$/.test(l));
      // Only a first line too long on its own is cut; any other is whole or left out.
      if (kept.length === 1 && kept[0] !== lines[0]) expect(kept[0]).toMatch(/…$/);
      else expect(kept).toEqual(lines.slice(0, kept.length));
      if (kept.length < lines.length || omitted) expect(outLines.at(-1)).toBe(`…and ${lines.length - kept.length + omitted} more`);
    }
  });
});

describe('fitReply', () => {
  const text = (max: number) => raw(int(max)).trim() || 'x';
  function randomEmbed(): ReplyEmbed {
    const embed: ReplyEmbed = { title: text(400), description: escapeDiscordText(text(6000)), color: 1, footer: { text: text(2500) } };
    if (random() < 0.5) embed.author = { name: text(400) };
    if (random() < 0.5) embed.fields = Array.from({ length: int(30) }, () => ({ name: text(300), value: text(1200) }));
    return embed;
  }

  it('random oversize replies come out as bodies Discord accepts', () => {
    for (let run = 0; run < 80; run++) {
      const reply: CommandReply = { content: escapeDiscordText(text(3000)), embeds: Array.from({ length: 1 + int(12) }, randomEmbed), ephemeral: true };
      const fitted = fitReply(reply);
      expect(asMessage(fitted)).toEqual([]);
      expect(fitted.ephemeral).toBe(true);
      expect(fitted.embeds!.length).toBeGreaterThan(0);
    }
  });

  it('leaves a reply that already fits exactly as it was', () => {
    const reply: CommandReply = { content: '😀'.repeat(2000), embeds: [{ title: 't', description: 'd'.repeat(4096), color: 1, fields: [{ name: 'n', value: 'v' }] }] };
    expect(fitReply(reply)).toEqual(reply);
  });

  it('gives the 6000 characters to the first embeds, dropping those that cannot show a title', () => {
    const big = (): ReplyEmbed => ({ title: 'T'.repeat(256), description: 'word '.repeat(500).trim(), color: 1, footer: { text: 'f'.repeat(100) } });
    const fitted = fitReply({ embeds: Array.from({ length: 10 }, big) });
    expect(fitted.embeds!.slice(0, 2)).toEqual([big(), big()]);
    // 290 characters left: the third keeps its title and part of its footer, the rest go.
    expect(fitted.embeds![2]).toEqual({ title: 'T'.repeat(256), color: 1, footer: { text: `${'f'.repeat(33)}…` } });
    expect(fitted.embeds).toHaveLength(3);
    expect(asMessage(fitted)).toEqual([]);
  });

  it('clips autocomplete choices to 100 code points without splitting an emoji', () => {
    expect(clipChoice('😀'.repeat(150))).toBe('😀'.repeat(100));
  });
});

describe('the console', () => {
  it('shows a reply cut as Discord would get it', () => {
    const shown = renderReply({ content: `${'word '.repeat(1000)}end` });
    expect(shown).toMatch(/^(word ){300,}word…$/);
    expect(length(shown)).toBeLessThanOrEqual(2000);
  });
});
