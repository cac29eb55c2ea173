/**
 * How the rule reads text and feeds: Japanese without spaces, a feed's own title saying it is
 * about Alita (but not a search feed's), Google News' outlet, and a malformed rule refused.
 */
import { describe, expect, it } from 'vitest';
import { analyzeDocument } from '../src/engine/analyze.ts';
import { feedAboutAlita } from '../src/engine/feed-context.ts';
import { judge } from '../src/engine/relevance.ts';
import { foldForMatching } from '../src/engine/tokens.ts';
import { compileTopic, loadTopic, TopicConfigError } from '../src/engine/topic.ts';

const topic = loadTopic();
const now = new Date('2026-11-01T12:00:00Z');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function channel(title: string, items: Array<{ title: string; outlet?: string; summary?: string }>, description = ''): string {
  const body = items
    .map((item, i) => `<item><title>${esc(item.title)}</title><link>https://example.com/${i}</link><description>${esc(item.summary ?? '')}</description>${item.outlet ? `<source url="https://outlet.example">${esc(item.outlet)}</source>` : ''}</item>`)
    .join('');
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>${esc(title)}</title><description>${esc(description)}</description>${body}</channel></rss>`;
}

describe('Japanese is matched without spaces, other scripts by whole words', () => {
  it('splits runs of Japanese into characters, so a term matches inside a run', () => {
    expect(foldForMatching('『アリータ』続編に期待')).toEqual(['ア', 'リ', 'ー', 'タ', '続', '編', 'に', '期', '待']);
    expect(judge({ title: '『アリータ：バトル・エンジェル』続編、脚本はもうある' }, topic).relevant).toBe(true);
  });

  it('keeps the voicing marks that tell kana apart (バ is not ハ) and folds full-width forms', () => {
    expect(foldForMatching('バトル')).toEqual(['バ', 'ト', 'ル']);
    expect(foldForMatching('アリータⅡ ＡＬＩＴＡ')).toEqual(['ア', 'リ', 'ー', 'タ', 'ii', 'alita']);
  });

  it('never finds Alita inside another word', () => {
    expect(judge({ title: 'Lufthansa übernimmt Ita Airways: Die Fortsetzung der Alitalia-Saga' }, topic).reasons).toEqual(['no mention of Alita']);
    expect(judge({ title: 'Alitas de pollo al horno, segunda parte' }, topic).relevant).toBe(false);
  });
});

describe('a feed about Alita', () => {
  const judged = async (doc: string, feed = 'https://fans.example/feed', aboutAlita?: boolean) =>
    analyzeDocument(doc, { feed, now, topic, ...(aboutAlita ? { aboutAlita } : {}) });
  const fanPost = { title: 'Who should play Nova in the second film?' };

  it('is one whose own title or description names the film: its items need not name Alita', async () => {
    const [byTitle] = await judged(channel('Alita: Battle Angel', [fanPost]));
    expect(byTitle!.verdict).toMatchObject({ relevant: true, aboutAlita: 'its title names the film: alita' });
    expect(byTitle!.verdict.reasons[0]).toBe('feed about Alita: its title names the film: alita');
    const [byDescription] = await judged(channel('Fan Crew', [fanPost], 'News of the fans of Alita: Battle Angel'));
    expect(byDescription!.verdict.aboutAlita).toBe('its description names the film: alita');
  });

  it('or one flagged so; other feeds need the item to name Alita', async () => {
    expect((await judged(channel('Fan Crew', [fanPost]), undefined, true))[0]!.verdict).toMatchObject({ relevant: true, aboutAlita: 'flagged as about Alita' });
    expect((await judged(channel('Fan Crew', [fanPost])))[0]!.verdict).toEqual({ relevant: false, reasons: ['no mention of Alita'] });
  });

  it('is never a search feed: its title names the query, not its subject', async () => {
    const google = 'https://news.google.com/rss/search?q=alita&hl=en-US';
    expect((await judged(channel('"Alita" - Google News', [fanPost]), google))[0]!.verdict.relevant).toBe(false);
    expect(feedAboutAlita({ feed: 'https://feeds.example/x', title: 'alita sequel - Google ニュース' }, topic)).toBeUndefined();
    expect(feedAboutAlita({ feed: 'https://www.reddit.com/r/movies/search.rss?q=alita', title: 'alita : search results' }, topic)).toBeUndefined();
  });

  it('is not a feed whose Alita is something else, and still keeps every guard', async () => {
    expect(feedAboutAlita({ feed: 'https://shop.example/feed', title: 'Alita 2 robot vacuum owners' }, topic)).toBeUndefined();
    const [series] = await judged(channel('Alita: Battle Angel', [{ title: 'Part 2 of my scene-by-scene breakdown' }]));
    expect(series!.verdict.relevant).toBe(false);
  });
});

describe('Google News items', () => {
  const google = 'https://news.google.com/rss/search?q=%22alita%22';
  it('take the outlet from <source> as their source, and lose the " - Outlet" it appends', async () => {
    const doc = channel('"alita" - Google News', [
      { title: 'Alita 2 is happening, says Cameron - Screen Rant', outlet: 'Screen Rant', summary: 'Alita 2 is happening, says Cameron Screen Rant' },
      { title: 'Alita - Angelo della battaglia 2, parla Rodriguez - Cineblog', outlet: 'Cineblog' },
      { title: 'Sequel talk - what we know', outlet: 'Variety' },
    ]);
    const [first, dashed, other] = await analyzeDocument(doc, { feed: google, now, topic });
    expect(first!.item).toMatchObject({ source: 'Screen Rant', title: 'Alita 2 is happening, says Cameron', summary: 'Alita 2 is happening, says Cameron' });
    // Only the outlet's own suffix goes: a title that holds " - " itself keeps it.
    expect(dashed!.item.title).toBe('Alita - Angelo della battaglia 2, parla Rodriguez');
    expect(other!.item).toMatchObject({ source: 'Variety', title: 'Sequel talk - what we know' });
  });

  it('elsewhere, <source> only names the outlet of an item whose title carries it', async () => {
    const [plain, suffixed] = await analyzeDocument(channel('Wire', [{ title: 'Alita news', outlet: 'Origin' }, { title: 'Alita news - Origin', outlet: 'Origin' }]), { feed: 'https://wire.example/feed', now, topic });
    expect(plain!.item.source).toBe('Wire');
    expect(suffixed!.item).toMatchObject({ source: 'Origin', title: 'Alita news' });
  });
});

describe('the rule is validated when it is loaded', () => {
  const minimal = {
    threshold: 2,
    anchors: ['gunnm'],
    sequelTitles: { weight: 3, first: ['gunnm'], then: ['2'] },
    sequelCues: { weight: 2, terms: ['sequel*'] },
    sequelPairs: { weight: 2, pairs: [] },
    hints: { weight: 1, terms: [] },
    people: { weight: 0.5, terms: [] },
    noise: { weight: -1, terms: [] },
    otherWorks: { terms: [] },
  };

  it('loads data/topic.json, and a rule without the newer sections', () => {
    expect(topic.characters.roles.length).toBeGreaterThan(0);
    expect(compileTopic(minimal).aboutFeeds).toEqual({ terms: [], distance: 6 });
  });

  it.each([
    [{ characters: { roles: 'nova' } }, 'topic: "characters.roles" must be a list'],
    [{ characters: { roles: [{ actor: ['edward norton'] }] } }, 'topic: "characters.roles[0].character" must be a list of strings'],
    [{ namesakes: { terms: 'robot' } }, 'topic: "namesakes.terms" must be a list of strings'],
    [{ aboutFeeds: { terms: ['alita'], distance: -1 } }, 'topic: "aboutFeeds.distance" must be a whole number'],
    [{ namesakes: { terms: ['robot'], distance: 'near' } }, 'topic: "namesakes.distance" must be a whole number'],
    [{ namesakes: { terms: ['robot'], unrelated: 'no relation to' } }, 'topic: "namesakes.unrelated" must be a list of strings'],
    [{ credentials: { terms: ['star'], before: 'the star of' } }, 'topic: "credentials.before" must be a list of strings'],
    [{ credentials: { terms: ['star'], clauses: 'who played' } }, 'topic: "credentials.clauses" must be a list of strings'],
    [{ credentials: { terms: ['star'], clauses: ['who played'], clauseGap: 2.5 } }, 'topic: "credentials.clauseGap" must be a whole number'],
    [{ namesakes: { terms: ['robot'], homage: 'inspired by' } }, 'topic: "namesakes.homage" must be a list of strings'],
    [{ otherWorks: { terms: [], sequelOf: { sequels: ['sequel'], links: ['of'] } } }, 'topic: "otherWorks.sequelOf.ours" must be a list of strings'],
    [{ otherWorks: { terms: [], sequelOf: 'sequel of' } }, 'topic: "otherWorks.sequelOf" must be an object'],
    [{ campaign: { terms: ['petition'] } }, 'topic: "campaign.weight" must be a number'],
    [{ comebacks: { weight: 2, terms: ['return'] } }, 'topic: "comebacks.cast" must be a list of strings'],
    [{ sequelPairs: { weight: 2, pairs: ['second film'] } }, 'topic: "sequelPairs.pairs[0]" must be an object'],
    [{ sequelPairs: { weight: 2, pairs: [{ first: ['suite'], notPrecededBy: 'lire la' }] } }, 'topic: "sequelPairs.pairs[0].notPrecededBy" must be a list of strings'],
    [{ sequelPairs: { weight: 2, pairs: [{ first: ['return'], unlessNoise: 'yes' }] } }, 'topic: "sequelPairs.pairs[0].unlessNoise" must be true or false'],
  ])('refuses %j with one clear line', (change, message) => {
    expect(() => compileTopic({ ...minimal, ...change })).toThrow(new TopicConfigError(message));
  });

  it('reads <end> and <start> as the ends of a sentence', () => {
    const rule = compileTopic({ ...minimal, sequelPairs: { weight: 2, pairs: [{ first: ['the second'], then: ['<end>'], notPrecededBy: ['<start>'] }] } });
    expect(judge({ title: 'Gunnm fans wait for the second.' }, rule).relevant).toBe(true);
    expect(judge({ title: 'Gunnm: the second is a manga about Mars' }, rule).relevant).toBe(false);
  });

  it('reads <end> inside a term as a sentence boundary: a pair can look past one', () => {
    const rule = compileTopic({ ...minimal, sequelPairs: { weight: 2, pairs: [{ first: ['gunnm'], then: ['follow'], gap: 1, notFollowedBy: ['<end> mars'] }] } });
    expect(judge({ title: 'Gunnm follow (Mars) read at last' }, rule).relevant).toBe(false);
    expect(judge({ title: 'Gunnm follow (the film) in talks' }, rule).relevant).toBe(true);
  });
});
