/**
 * stripSimple (src/engine/strip-markup.ts) reads markup in place of htmlparser2 where it can: on
 * every text it does not leave to htmlparser2 it must give exactly what htmlparser2's pass gives,
 * gaps included, on real feeds, on both benchmark workloads and on seeded markup made to trip it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentMaker } from '../scripts/bench/workloads.ts';
import { documentText } from '../src/engine/charset.ts';
import { parseFeed } from '../src/engine/parse.ts';
import { stripOnce, stripSimple } from '../src/engine/strip-markup.ts';
import { asText } from '../src/engine/text.ts';
import { CORPUS, corpusFiles } from './support/corpus.ts';
import { seededRandom } from './support/random.ts';

const NOW = new Date('2026-11-30T12:00:00Z');
const GAPS = [' ', '\uE000'];

/** Whether stripSimple read `html` (it agreed with htmlparser2 whenever it did). */
function agrees(html: string, where: string): boolean {
  let read = false;
  for (const gap of GAPS) {
    const simple = stripSimple(html, gap);
    if (simple === undefined) continue;
    read = true;
    expect(simple, `${where}: ${JSON.stringify(html.slice(0, 300))}`).toBe(stripOnce(html, gap));
  }
  return read;
}

function markupOf(item: Record<string, unknown>): string[] {
  return ['title', 'description', 'content', 'content:encoded', 'summary'].map((key) => asText(item[key])).filter((text) => text.includes('<') || text.includes('&'));
}

describe('stripSimple', () => {
  it('gives what htmlparser2 gives on every corpus text it reads, and reads most of them', async () => {
    let texts = 0;
    let read = 0;
    for (const file of corpusFiles()) {
      const text = documentText({ bytes: readFileSync(join(CORPUS, file)), contentType: null });
      const parsed = await parseFeed(text, { now: NOW }).catch(() => undefined);
      for (const item of parsed?.items ?? []) {
        for (const html of markupOf(item)) {
          texts++;
          if (agrees(html, file)) read++;
        }
      }
    }
    expect(texts).toBeGreaterThan(1000);
    expect(read / texts).toBeGreaterThan(0.5);
  }, 300_000);

  it('reads every item of both benchmark workloads, as htmlparser2 does', async () => {
    for (const workload of ['news', 'long-anchors'] as const) {
      const make = documentMaker(workload, NOW);
      for (let i = 0; i < 8; i++) {
        const parsed = await parseFeed(make(i, 60_000, false).xml, { now: NOW });
        for (const item of parsed.items) for (const html of markupOf(item)) expect(agrees(html, `${workload} #${i}`)).toBe(true);
      }
    }
  });

  it('agrees with htmlparser2 on seeded markup made of what it reads and what it leaves alone', () => {
    const random = seededRandom(16);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const names = ['p', 'P', 'div', 'br', 'BR', 'hr', 'li', 'ul', 'ol', 'td', 'tr', 'th', 'h2', 'blockquote', 'pre', 'a', 'b', 'em', 'span', 'img', 'wbr', 'strong', 'small', 'time', 'tt', 's', 'section', 'table', 'dd', 'dt', 'figure', 'nav', 'input', 'script', 'title', 'textarea', 'svg', 'xmp', 'strongest', 'p2'];
    const attributes = ['', ' href="https://a.example/?a=1&amp;b=2"', " title='a > b'", ' class=x', ' data-x="<p>"', ' alt=a/b', ' hidden', ' a = "1" ', ' =x', ' b"c=1', ' /', '/'];
    const texts = ['Alita', ' ', 'Battle Angel', '&amp;', '&lt;p&gt;', '&eacute;', '&amp', '&#233;', '&#xE9', '&nosuch;', 'a & b', '\n', '\t', '2 > 1', 'x<3', 'é', '\u0000'];
    const comments = ['<!-- note -->', '<!-->', '<!--->', '<!---->', '<!-- a -- b -->', '<!-- open', '<!DOCTYPE html>', '<?xml?>', '<![CDATA[x]]>'];
    const piece = (): string => {
      const roll = random();
      if (roll < 0.35) return pick(texts);
      if (roll < 0.45) return pick(comments);
      const name = pick(names);
      if (roll < 0.75) return `<${name}${pick(attributes)}${random() < 0.1 ? '/' : ''}>`;
      if (roll < 0.97) return `</${name}${random() < 0.1 ? ' x' : ''}>`;
      return pick(['<', '</', '< p>', '</ p>', '</>', '<p', '<a href="x']);
    };
    let read = 0;
    for (let n = 0; n < 20_000; n++) {
      const html = Array.from({ length: 1 + Math.floor(random() * 14) }, piece).join('');
      if (agrees(html, `#${n}`)) read++;
    }
    // Both ways taken often: what it reads is checked, and what it leaves alone is no small part.
    expect(read).toBeGreaterThan(3000);
    expect(read).toBeLessThan(17_000);
  });
});
