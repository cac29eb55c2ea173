/**
 * Quotations of known people in news text. The labelled passages (test/fixtures/quotes/, seven
 * languages, written blind to the extractor) hold it to precision ≥ 0.95 on speaker and words
 * together and recall ≥ 0.70: a misattributed quote is worse than none. The kinds below are the
 * issue's patterns and traps, each in its own words.
 */
import { describe, expect, it } from 'vitest';
import { quoteExtractor } from '../src/engine/quotes/extract.ts';
import { loadPeople, parsePeople, PeopleFileError } from '../src/engine/quotes/people.ts';
import { htmlToText } from '../src/engine/text.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { loadPassages, scorePassages } from './support/quote-set.ts';

const people = loadPeople();
const extractor = quoteExtractor(people);
const quotes = (summary: string, title = '') => extractor.extract({ title, summary }).map((q) => [q.speaker, q.text]);

describe('the labelled passages', () => {
  const score = async (part: string) => {
    const passages = loadPassages(part);
    expect(new Set(passages.map((p) => p.lang)).size).toBe(7);
    return scorePassages(passages, people, loadTopic());
  };
  const meetsTarget = (s: Awaited<ReturnType<typeof score>>) => {
    expect(s.precision, s.wrong.join('\n')).toBeGreaterThanOrEqual(0.95);
    expect(s.recall, s.wrong.join('\n')).toBeGreaterThanOrEqual(0.7);
  };

  // Each part was written blind and measured once unseen before the extractor was tuned on it:
  // b P 0.927 / R 0.608, c P 0.920 / R 0.623, d P 0.933 / R 0.698, e P 0.951 / R 0.682.
  // Tuned on, every part holds the target.
  it.each(['a', 'b', 'c', 'd', 'e'])('part %s: precision ≥ 0.95 and recall ≥ 0.70 on speaker and exact words', async (part) => meetsTarget(await score(part)));

  // Part f, the last blind part (199 quotations), measured once unseen with the final extractor
  // and never tuned on: precision 0.958, recall 0.799.
  it('part f (never tuned on): precision ≥ 0.95 and recall ≥ 0.70', async () => meetsTarget(await score('f')));
});

describe('attribution', () => {
  it('joins a quotation split by its attribution with a space', () => {
    expect(quotes('“We would love to,” Rodriguez said, “but it is up to Disney.”')).toEqual([['Robert Rodriguez', 'We would love to, but it is up to Disney.']]);
  });

  it('takes the speaker before or after, in every language', () => {
    expect(quotes('Cameron told Empire: “We have the script ready for the next one.”')).toEqual([['James Cameron', 'We have the script ready for the next one.']]);
    expect(quotes('Según Rodríguez, «todavía queremos hacer la segunda parte».')).toEqual([['Robert Rodriguez', 'todavía queremos hacer la segunda parte']]);
    expect(quotes('« Nous avons une histoire prête pour la suite », a déclaré Landau.')).toEqual([['Jon Landau', 'Nous avons une histoire prête pour la suite']]);
    expect(quotes('„Ich würde sofort wieder in den Anzug steigen“, sagte Salazar.')).toEqual([['Rosa Salazar', 'Ich würde sofort wieder in den Anzug steigen']]);
    expect(quotes('「アリータの続編は必ず作りたい」とキャメロン監督は語った。')).toEqual([['James Cameron', 'アリータの続編は必ず作りたい']]);
    expect(quotes('木城ゆきと「ガリィの物語はまだ続いている」')).toEqual([['Yukito Kishiro', 'ガリィの物語はまだ続いている']]);
    expect(quotes('Rosa Salazar: “I would put the suit back on tomorrow.”', 'x')).toEqual([['Rosa Salazar', 'I would put the suit back on tomorrow.']]);
  });

  it('follows "he said" to the one person named in the sentence before', () => {
    expect(quotes('Rodriguez spoke to fans in Austin. “Iron City is waiting for us,” he said.')).toEqual([['Robert Rodriguez', 'Iron City is waiting for us,']]);
    expect(quotes('Rodriguez and Cameron met in Austin. “Iron City is waiting for us,” he said.')).toEqual([]);
  });

  it('follows a title or a description to the one person named before who has it', () => {
    // "the Texan", "le cinéaste canadien", "die 38-Jährige": a description the press uses instead of a name.
    expect(quotes('Rodriguez erzählte, wie Cameron ihm die Notizen gab. „Es waren sechshundert Seiten, dazu ein Drehbuch mit 186 Seiten“, sagte der 50-jährige Texaner.')).toEqual([['Robert Rodriguez', 'Es waren sechshundert Seiten, dazu ein Drehbuch mit 186 Seiten']]);
    expect(quotes('Cameron et Rodriguez étaient là. « Je suis profondément reconnaissant envers le public », a déclaré le cinéaste canadien.')).toEqual([['James Cameron', 'Je suis profondément reconnaissant envers le public']]);
    expect(quotes('Rosa Salazar hat sich bei ihren Fans gemeldet. „Alita wird immer ein Teil von mir sein“, schrieb die 38-Jährige auf Instagram.')).toEqual([['Rosa Salazar', 'Alita wird immer ein Teil von mir sein']]);
    expect(quotes('Salazar passou meses treinando. “Cada manhã eu colocava duzentos pontos no rosto”, relatou a atriz, que falou em espanhol.')).toEqual([['Rosa Salazar', 'Cada manhã eu colocava duzentos pontos no rosto']]);
    // "the director" with both directors named in the sentence before: nobody.
    expect(quotes('Rodriguez and Cameron took the stage. “We are still talking about it,” the director said.')).toEqual([]);
    // Someone else's title: an actor the bot does not know.
    expect(quotes('Christoph Waltz salua sa partenaire. « Rosa a fait quelque chose de unique », a déclaré l’acteur autrichien.')).toEqual([]);
  });

  it('takes a quotation standing alone from the short sentence before it', () => {
    expect(quotes('Ob er Alita selbst produzieren würde? Rodriguez lacht. „Alita mit 7000 Dollar wäre mal ein Experiment.“')).toEqual([['Robert Rodriguez', 'Alita mit 7000 Dollar wäre mal ein Experiment.']]);
    expect(quotes('Robert Rodriguez joined by video. The director did not hesitate. “Nova is the villain we have been saving.”')).toEqual([['Robert Rodriguez', 'Nova is the villain we have been saving.']]);
    expect(quotes('Le réalisateur Robert Rodriguez est arrivé. Le réalisateur a ensuite détaillé le Motorball : « On a tourné chaque plan comme un vrai match. »')).toEqual([['Robert Rodriguez', 'On a tourné chaque plan comme un vrai match.']]);
    // A lead sentence naming two people, or someone the bot does not know, speaks for nobody.
    expect(quotes('Rodriguez and Cameron laughed. “We will get there one day, trust us.”')).toEqual([]);
    expect(quotes('Keean Johnson smiled. “We will get there one day, trust us.”')).toEqual([]);
  });

  it('keeps the paragraph a quotation stands in', () => {
    const text = (html: string) => extractor.extract({ title: 'x', fullText: htmlToText(html, { paragraphs: true }) }).map((q) => [q.speaker, q.text]);
    expect(text('<p>サラザールはこう答えてます：</p><p>「もちろん。スーツはクローゼットにしまってあるわ」</p>')).toEqual([['Rosa Salazar', 'もちろん。スーツはクローゼットにしまってあるわ']]);
    // The paragraph before ends with another person's words: the next one's quotation is not theirs.
    expect(text('<p>Cameron smiled at the crowd</p><p>“Every Motorball frame went through Weta three times,” Landau said.</p>')).toEqual([['Jon Landau', 'Every Motorball frame went through Weta three times,']]);
    // An ellipsis (folded to three characters) earlier in the text does not shift the names.
    expect(text('<p>個人的には続編が見たい…</p><p>サラザールは「彼は私にとって映画の父親みたいな存在」と言ってます。</p>')).toEqual([['Rosa Salazar', '彼は私にとって映画の父親みたいな存在']]);
  });

  it('reads Japanese topic phrases and descriptions', () => {
    expect(quotes('木城ゆきとは『銃夢』を完結させた。完結した今の心境を聞くと、「娘を嫁に出したような気分です」と笑った。')).toEqual([['Yukito Kishiro', '娘を嫁に出したような気分です']]);
    expect(quotes('サラザールは撮影を振り返った。「彼は現場のムードメーカーでした」と33歳の彼女は笑顔を見せた。')).toEqual([['Rosa Salazar', '彼は現場のムードメーカーでした']]);
    // Said in unison, or by someone the bot does not know.
    expect(quotes('キャメロン監督とランドーは顔を見合わせて笑い、「アリータのことは一日も忘れたことがない」と口をそろえた。')).toEqual([]);
    expect(quotes('サラザールは撮影を振り返った。「彼は現場のムードメーカーでした」とジョンソンは笑った。')).toEqual([]);
  });

  it('leaves out the traps', () => {
    // Two speakers; a question put to him; a scare quote; a character's line; a namesake; a paraphrase.
    expect(quotes('Rodriguez and Cameron said: “We are ready to go again tomorrow.”')).toEqual([]);
    expect(quotes('We asked Rodriguez: “Will there ever be an Alita 2 at all?”')).toEqual([]);
    expect(quotes('Cameron called it “a dream” last week.')).toEqual([]);
    expect(quotes('Salazar’s Alita tells Hugo: “I do not stand by in the presence of evil.”')).toEqual([]);
    expect(quotes('Michelle Rodriguez joined the panel. “I loved working with him on this one,” Rodriguez said.')).toEqual([]);
    expect(quotes('Cameron said the sequel was ready to go whenever Disney wants it.')).toEqual([]);
    expect(quotes('Christoph Waltz told Cameron: “You owe the fans a second film, Jim.”')).toEqual([]);
  });

  it('keeps a nested quotation inside the outer one', () => {
    expect(quotes('Rodriguez said: “Jim told me, ‘Let us make Alita 2,’ and we agreed on the spot.”')).toEqual([
      ['Robert Rodriguez', 'Jim told me, ‘Let us make Alita 2,’ and we agreed on the spot.'],
    ]);
  });
});

describe('data/people.json', () => {
  it('stops with one line naming what is wrong', () => {
    expect(() => parsePeople({ people: [] }, 'people.json')).toThrow(PeopleFileError);
    expect(() => parsePeople({ people: [] }, 'people.json')).toThrow(/^people\.json: people: /);
    expect(() => parsePeople({ people: [{ name: 'A Bee', names: ['Bee'] }] }, 'people.json')).toThrow(/A Bee: its full name must be one of its names/);
    expect(() => parsePeople({ people: [{ name: 'A B', names: ['A B', 'Bx'] }, { name: 'C B', names: ['C B', 'Bx'] }] }, 'people.json')).toThrow('"Bx" names both A B and C B');
  });
});
