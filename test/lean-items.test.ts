/**
 * Items judged off topic from their markup, before normalising (AnalyzeContext.lean): every such
 * item must be one the whole judgement also finds naming Alita nowhere, with the same id and title.
 * Checked on the corpus, on the labelled sets dressed in the markup feeds use (and abuse), and on
 * the ways markup can hide or join a name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../src/engine/analyze.ts';
import { decodeFeedBytes } from '../src/engine/charset.ts';
import type { Judged } from '../src/engine/dedupe.ts';
import { noMention } from '../src/engine/relevance.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { CORPUS, corpusFiles } from './support/corpus.ts';
import { seededRandom } from './support/random.ts';

const topic = loadTopic();
const NOW = new Date('2026-11-30T12:00:00Z');
const FEED = 'https://feeds.example.com/film.xml';

async function both(document: string): Promise<{ whole: Judged[]; lean: Judged[] } | undefined> {
  const ctx = { feed: FEED, documentUrl: FEED, now: NOW, topic };
  try {
    return { whole: await analyzeDocument(document, ctx), lean: await analyzeDocument(document, { ...ctx, lean: true }) };
  } catch {
    // Not a feed, or a malformed one: both ways refuse it alike (parse-pool.test compares errors).
    await expect(analyzeDocument(document, { ...ctx, lean: true })).rejects.toThrow();
    return undefined;
  }
}

/** Asserts the lean items agree with the whole judgement; returns how many went lean. */
function agree({ whole, lean }: { whole: Judged[]; lean: Judged[] }, where: string): number {
  expect(lean.length, where).toBe(whole.length);
  let leaned = 0;
  lean.forEach((one, i) => {
    const full = whole[i]!;
    if (JSON.stringify(one) === JSON.stringify(full)) return;
    leaned++;
    expect(full.verdict.relevant, `${where}: ${full.item.title}`).toBe(false);
    // A lean item keeps its verdict's conclusion, the last reason (analyze.ts).
    expect(one.verdict, `${where}: ${full.item.title}`).toEqual({ ...full.verdict, reasons: full.verdict.reasons.slice(-1) });
    const { author: _author, image: _image, summary: _summary, ...identity } = full.item;
    expect(one.item, `${where}: ${full.item.title}`).toEqual({ ...identity, summary: '' });
    expect(one.quotes).toBeUndefined();
  });
  return leaned;
}

function item(fields: { title: string; description?: string; content?: string; source?: string }, n: number): string {
  const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
  return (
    `<item><title>${cdata(fields.title)}</title><link>https://film.example.com/story/${n}</link>` +
    `<guid isPermaLink="false">story-${n}</guid><pubDate>${new Date(NOW.getTime() - n * 60_000).toUTCString()}</pubDate>` +
    (fields.source ? `<source url="https://outlet.example.com/">${fields.source}</source>` : '') +
    (fields.description !== undefined ? `<description>${cdata(fields.description)}</description>` : '') +
    (fields.content !== undefined ? `<content:encoded>${cdata(fields.content)}</content:encoded>` : '') +
    '</item>'
  );
}

function feed(items: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Film Wire</title><link>https://film.example.com/</link>${items.join('')}</channel></rss>`;
}

/**
 * Markup as feeds write it, and (unless `wellFormed`) as they get it wrong, put into a text at
 * random (seeded). The first five kinds keep words whole.
 */
function dress(text: string, random: () => number, wellFormed = false): string {
  const words = text.split(' ');
  const pick = <T,>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const wrap = [
    (w: string) => `<b>${w}</b>`,
    (w: string) => `<a href="https://x.example/?q=a&amp;b" title="more">${w}</a>`,
    (w: string) => `${w}<br/>`,
    (w: string) => `</p><p>${w}`,
    (w: string) => `${w.slice(0, 2)}<i>${w.slice(2)}</i>`,
    (w: string) => `${w.slice(0, 3)}<!-- note -->${w.slice(3)}`,
    (w: string) => `${w}<script>var a = "<b>";</script>`,
    (w: string) => w.replace(/[a-z]/, (c) => `&#${c.charCodeAt(0)};`),
    (w: string) => w.replace(/[a-z]/, (c) => `&amp;#${c.charCodeAt(0)};`),
    (w: string) => `&lt;b&gt;${w}&lt;/b&gt;`,
    (w: string) => `${w}&nbsp;&#8217;`,
    (w: string) => `${w.slice(0, 2)}\u200B${w.slice(2)}`,
    (w: string) => `${w.slice(0, 2)}\u202A${w.slice(2)}`,
    (w: string) => `${w.slice(0, 2)}\uE000${w.slice(2)}`,
    (w: string) => `${w}\u0007`,
    (w: string) => `<a title="5 > 3">${w}</a>`,
  ];
  const kinds = wellFormed ? [...wrap.slice(0, 4), wrap[10]!] : wrap;
  return `<p>${words.map((w) => (random() < 0.12 ? pick(kinds)(w) : w)).join(' ')}</p>`;
}

const fixtures = new URL('./fixtures/', import.meta.url);
const labelled = [
  ...readdirSync(fixtures).filter((f) => /^relevance-.*\.json$/.test(f)).map((f) => new URL(f, fixtures)),
  ...readdirSync(new URL('world/', fixtures)).map((f) => new URL(`world/${f}`, fixtures)),
  new URL('../../shared/relevance/dev-set.json', import.meta.url),
].flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { items: Array<{ title?: string; summary?: string; content?: string; description?: string }> }).items);

describe('items judged from their markup (lean)', () => {
  it('agree with the whole judgement on every corpus feed', async () => {
    let leaned = 0;
    let documents = 0;
    for (const path of corpusFiles()) {
      const result = await both(decodeFeedBytes(readFileSync(CORPUS + path), null));
      if (!result) continue;
      documents++;
      leaned += agree(result, path);
    }
    expect(documents).toBeGreaterThan(1000);
    expect(leaned).toBeGreaterThan(500);
  });

  it('agree on the labelled sets dressed in markup, right and wrong', async () => {
    const random = seededRandom(16);
    let leaned = 0;
    let onTopic = 0;
    let noName = 0;
    for (let round = 0; round < 3; round++) {
      for (let start = 0; start < labelled.length; start += 50) {
        const items = labelled.slice(start, start + 50).map((one, n) => {
          const body = [one.summary, one.description, one.content].filter(Boolean).join(' ');
          const title = round === 2 ? dress(one.title ?? '', random) : (one.title ?? '');
          const wellFormed = round === 0;
          return item({ title, description: dress(one.summary ?? one.description ?? body, random, wellFormed), content: dress(body, random, wellFormed) }, n);
        });
        const result = (await both(feed(items)))!;
        leaned += agree(result, `labelled ${start}, round ${round}`);
        onTopic += result.whole.filter((j) => j.verdict.relevant).length;
        noName += result.whole.filter((j) => JSON.stringify(j.verdict) === JSON.stringify(noMention())).length;
      }
    }
    expect(labelled.length).toBeGreaterThan(2000);
    // The labelled sets are mostly items that name Alita's people: most of those naming none of
    // them are still named by the probe's looser search (an actor without their part).
    expect(noName).toBeGreaterThan(2000);
    expect(leaned).toBeGreaterThan(400);
    expect(onTopic).toBeGreaterThan(3000);
  });

  const hidden: Array<[string, { title?: string; description?: string; content?: string; source?: string }]> = [
    ['a tag inside the name', { content: 'Ali<b>ta</b> returns for a sequel.' }],
    ['a comment inside the name', { content: 'Ali<!-- x > y -->ta returns.' }],
    ['a script inside the name', { content: 'Ali<script> x </script>ta returns.' }],
    ['a quoted > in a tag between the words', { content: 'Battle<a title="x>y"> Angel returns.' }],
    ['a name escaped twice', { content: 'Ali&amp;#116;a returns.' }],
    ['markup escaped twice', { content: '&lt;b&gt;Battle&lt;/b&gt; &lt;i&gt;Angel&lt;/i&gt; returns.' }],
    ['a letter as an entity', { content: 'Alit&#97; returns.' }],
    ['a no-break space between the words', { content: 'Iron&nbsp;City is back.' }],
    ['a zero-width space inside the name', { content: 'Ali\u200Bta returns.' }],
    ['a bidi control inside the name', { content: 'Ali\u202Ata returns.' }],
    ['the paragraph mark inside the name', { content: '<p>Ali\uE000ta returns.</p>' }],
    ['paragraphs between the words', { content: '<p>Battle</p><p>Angel</p>' }],
    ['a tag inside a Japanese name', { content: '<p>アリ<b>ータ</b>の続編。</p>' }],
  ];
  /** One item, neutral but for `fields`, judged both ways; the verdicts checked to agree. */
  const alone = async (fields: Partial<Parameters<typeof item>[0]>, where: string) => {
    const result = (await both(feed([item({ title: 'Weekend box office', description: 'Numbers are in.', ...fields }, 1)])))!;
    agree(result, where);
    return result;
  };
  it.each(hidden)('leaves an item whole when markup could hide a name: %s', async (_, fields) => {
    const result = await alone(fields, 'hidden');
    // The whole judgement sees the name, and so did the lean one (agree: the same verdict).
    expect(result.whole[0]!.verdict).not.toEqual(noMention());
  });

  // Where normalising joins the fields' words differently from the markup: the quick look must
  // not answer for them (the full matcher never matches across fields, so the verdicts agree).
  const joined: Array<[string, { title?: string; description?: string; content?: string; source?: string }]> = [
    ['the name across the title and the description', { title: 'Everything about the Battle', description: 'Angel sequel news.' }],
    ['an outlet cut from the title', { title: 'Back to Iron - Outlet', description: 'City and beyond.', source: 'Outlet' }],
    ['no description: the summary comes from the full text', { description: '', content: 'Angel — a long story that ends with Battle' }],
  ];
  it.each(joined)('agrees where normalising joins fields: %s', async (_, fields) => {
    await alone(fields, 'joined');
  });

  it('judges an item that names nothing of Alita from its markup, keeping only what identifies it', async () => {
    const plain = item({ title: 'Weekend <i>box office</i>', description: 'Numbers &amp; more.', content: '<p>A long <b>article</b>.</p>' }, 1);
    const { whole, lean } = (await both(feed([plain])))!;
    expect(lean[0]!.item).toEqual({ id: whole[0]!.item.id, feed: FEED, source: 'Film Wire', title: 'Weekend box office', summary: '', link: 'https://film.example.com/story/1', published: whole[0]!.item.published, guid: 'story-1' });
    expect(lean[0]!.verdict).toEqual(noMention());
    expect(whole[0]!.item.summary).toBe('Numbers & more.');
  });

  it('hands on lean an item judged whole and found off topic, with its verdict\'s conclusion, but never one on topic', async () => {
    const named = item({ title: 'Christoph Waltz joins a new thriller', description: 'The actor, who played Dr. Ido in Alita: Battle Angel, stars in a heist film.', content: '<p>Filming starts in May.</p>' }, 1);
    const onTopic = item({ title: 'Alita: Battle Angel 2 is happening, says Robert Rodriguez', description: 'The director confirms the sequel.', content: '<p>Cameron wrote the script.</p>' }, 2);
    const { whole, lean } = (await both(feed([named, onTopic])))!;
    expect(whole[0]!.verdict.relevant).toBe(false);
    expect(whole[0]!.verdict).not.toEqual(noMention());
    expect(whole[0]!.verdict.reasons.length).toBeGreaterThan(1);
    expect(lean[0]!.verdict).toEqual({ relevant: false, reasons: [whole[0]!.verdict.reasons.at(-1)] });
    expect(lean[0]!.item.summary).toBe('');
    expect(whole[1]!.verdict.relevant).toBe(true);
    expect(lean[1]).toEqual(whole[1]);
  });

  it('judges Japanese paragraphs from their markup too: a tag after 。 joins no word', async () => {
    const doc = feed([item({ title: '週末の興行収入', description: '<p>新作が首位。</p><p>二位は続編。</p>', content: '<p>新作が首位。</p><p>二位は続編。</p>' }, 1)]);
    const { whole, lean } = (await both(doc))!;
    expect(lean[0]!.item.summary).toBe('');
    expect(whole[0]!.item.summary).not.toBe('');
    expect(lean[0]!.verdict).toEqual(whole[0]!.verdict);
  });

  it('finds a name that only invisible characters keep apart, beside a tag, inside a word or as the whole summary', async () => {
    const items = [
      // htmlToText drops the zero-width space and the tag: "Alita". The probe must not read "Ali ta".
      item({ title: 'Weekend box office', description: 'Numbers.', content: '<p>Ali\u200b<b>ta</b> 2 is next, Robert Rodriguez says: the sequel is written.</p>' }, 1),
      item({ title: 'Weekend box office', description: 'Numbers.', content: '<p>Ali<b>\u2060ta</b> 2 is next, Robert Rodriguez says: the sequel is written.</p>' }, 2),
      // A bidi control inside the name, and the same in plain text: normalize drops both.
      item({ title: 'Weekend box office', description: 'Ali\u202ata 2 is next, Robert Rodriguez says: the sequel is written.' }, 3),
      item({ title: 'Weekend box office', description: '<p>Ali\u2066ta 2</p> is next, Robert Rodriguez says: the sequel is written.' }, 4),
      // A summary of nothing visible: the summary comes from the full text, which names Alita.
      item({ title: 'Weekend box office', description: '\u200b\u00ad \u0007', content: '<p>Alita 2 is next, Robert Rodriguez says: the sequel is written.</p>' }, 5),
    ];
    const { whole, lean } = (await both(feed(items)))!;
    expect(agree({ whole, lean }, 'invisible')).toBe(0);
    for (const judged of whole) expect(judged.verdict.relevant, judged.item.summary).toBe(true);
  });

  it('never leans an item without a guid or a date (its id may need its text), nor in a feed about Alita', async () => {
    const undated = '<item><title>Weekend box office</title><link>https://film.example.com/a</link><description>Numbers.</description></item>';
    const result = (await both(feed([undated])))!;
    expect(result.lean).toEqual(result.whole);
    // A feed about Alita: its items are judged whole (they need not name Alita), never from markup.
    const about = feed([item({ title: 'Weekend box office', description: 'Numbers.' }, 1), item({ title: 'A new Alita sequel', description: 'Rodriguez confirms the second film.' }, 2)]);
    const [whole, lean] = await Promise.all([false, true].map((on) => analyzeDocument(about, { feed: FEED, now: NOW, topic, aboutAlita: true, ...(on ? { lean: true } : {}) })));
    // Judged whole (its score, not "no mention"), then on lean with the verdict's conclusion.
    expect(lean![0]!.verdict).toEqual({ ...whole![0]!.verdict, reasons: whole![0]!.verdict.reasons.slice(-1) });
    expect(lean![0]!.verdict.reasons).not.toEqual(noMention().reasons);
    expect(lean![1]!.verdict).toEqual(whole![1]!.verdict);
    expect(lean![1]!.item).toEqual(whole![1]!.item);
    expect(lean![1]!.verdict.relevant).toBe(true);
  });
});
