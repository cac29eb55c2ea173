/**
 * judge's tokens (itemTokens with the topic's vocabulary: src/engine/topic-tokens.ts) are the
 * plain tokens with every word no term can match replaced by a placeholder, and every list of
 * the topic finds the same matches in them: on every labelled item and on random text.
 */
import { describe, expect, it } from 'vitest';
import { mentionLists, evidenceLists, scanItem } from '../src/engine/scan.ts';
import { judge } from '../src/engine/relevance.ts';
import { BREAK, foldWords, itemTokens, spellAt, type Sentences } from '../src/engine/tokens.ts';
import { foldTopicRange } from '../src/engine/topic-tokens.ts';
import { compileTopic, loadTopic } from '../src/engine/topic.ts';
import { buildVocabulary, OTHER_NUMBER, OTHER_WORD, projectWord, vocabularyOf } from '../src/engine/vocabulary.ts';
import { FOLD_ATOMS } from './support/fold-atoms.ts';
import { seededRandom } from './support/random.ts';
import { labelledItems } from './support/labelled-items.ts';

const topic = loadTopic();
const vocabulary = vocabularyOf(topic);
const lists = [...mentionLists(topic), ...evidenceLists(topic)];

function expectProjection(fields: string[], scans = true): void {
  const plain = itemTokens(fields);
  const sentences: Sentences = { texts: [], marks: [] };
  const projected = itemTokens(fields, vocabulary, false, sentences);
  expect(projected, JSON.stringify(fields)).toEqual(plain.map((word) => projectWord(vocabulary, word)));
  // judge spells a word a reason names from its sentence alone: the word the plain tokens have there.
  const spelled = plain.map((word, at) => (word === BREAK ? word : spellAt(sentences, at)));
  expect(spelled, JSON.stringify(fields)).toEqual(plain);
  if (!scans) return;
  const [a, b] = [scanItem(plain, topic), scanItem(projected, topic)];
  for (const list of lists) expect(b.get(list), JSON.stringify(fields)).toEqual(a.get(list));
}

/**
 * The one-pass fold on a whole text (no sentence split, invisible characters left in, as in
 * HTML fields) against foldWords projected; whether it took the fast path.
 */
function expectSameFold(text: string): boolean {
  const words: string[] = [];
  const count = foldTopicRange(text, 0, text.length, vocabulary, words, 0);
  if (count < 0) return false;
  words.length = count;
  const plain: string[] = [];
  expect(foldWords(text, plain), JSON.stringify(text)).toBe(true);
  expect(words, JSON.stringify(text)).toEqual(plain.map((word) => projectWord(vocabulary, word)));
  return true;
}

describe("judge's tokens", () => {
  it('are the plain tokens projected on the vocabulary, with the same matches, for every labelled item', () => {
    const items = labelledItems();
    expect(items.length).toBeGreaterThan(2000);
    let placeholders = 0;
    for (const item of items) {
      const fields = [item.title, item.summary, item.description, item.content].map((f) => f ?? '');
      expectProjection(fields);
      placeholders += itemTokens(fields, vocabulary).filter((w) => w === OTHER_WORD || w === OTHER_NUMBER).length;
    }
    // Most words of a headline are no term's: the comparison is not of two plain streams.
    expect(placeholders).toBeGreaterThan(10_000);
  });

  it('match them on 10,000 seeded random texts of folding quirks, terms and prefix words', () => {
    const random = seededRandom(20261203);
    const words = [...new Set(lists.flat().flatMap((term) => term.source.split(/\s+/)))].filter((w) => !w.startsWith('<'));
    const spellings = (word: string) => {
      const bare = word.replace(/\*$/, '');
      return [bare, bare.toUpperCase(), bare[0]!.toUpperCase() + bare.slice(1), word.endsWith('*') ? `${bare}s` : `${bare}X`];
    };
    let fast = 0;
    for (let n = 0; n < 10_000; n++) {
      let text = '';
      const length = Math.floor(random() * 14);
      for (let i = 0; i < length; i++) {
        if (random() < 0.5) text += FOLD_ATOMS[Math.floor(random() * FOLD_ATOMS.length)];
        else text += `${random() < 0.7 ? ' ' : ''}${spellings(words[Math.floor(random() * words.length)]!)[Math.floor(random() * 4)]}`;
      }
      expectProjection([text, text.slice(0, Math.floor(random() * text.length))], n % 8 === 0);
      if (expectSameFold(text)) fast++;
    }
    // The comparison is of the one-pass fold, not of its fallback to the plain tokens.
    expect(fast).toBeGreaterThan(4000);
  });

  it('end sentences where the plain split does, found as they are folded, on 50,000 seeded texts of marks and spaces', () => {
    // The plain tokens are cut by SENTENCE_ENDS; judge's fold finds the ends mark by mark (sentences.ts's
    // endAtMark). Dense in what either reads: a mark right after another end's spaces, spaces before
    // brackets, titles before a full stop (after a letter, an underscore or not), spaces outside
    // ASCII, a mark at either end, and a character that sends a sentence the plain way (½).
    const random = seededRandom(20261204);
    const pieces = [' ', '  ', '\n', '\t', '.', '. ', ',', ', ', '–', ' – ', '—', '|', ' | ', '(', ')', '[', ']', '（', '）', '!', '?', ';', '。', '、', '。。', 'Dr', 'Mr', 'Mrs', 'vs', 'St', 'dr', 'a', 'Alita', 'sequel', '2', 'x', '\u00a0', '\u3000', '\u200B', ', – ', 'éDr', 'ADr', 'Prof', 'Mme', 'Sra', 'Dra', 'Jr', 'Ms', 's', '_Dr', '9Dr', '！', '？', '½', '続編'];
    for (let n = 0; n < 50_000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 12);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(random() * pieces.length)];
      expectProjection([text, text], false);
    }
  });

  it('keep the quirks of the plain fold', () => {
    const cases = ['a1b', '1aB2', 'Al\u200Bita2\u00ADx', 'alita\u200BSequel', 'e\u03011', 'x\u0301Y', 'ALITA2 sequelPart2', 'ｶﾞﾝﾑ 続編', '⑴ ½ ﬁlm', 'ΟΔΟΣ Alita', 'İstanbul Alita 2'];
    for (const text of cases) {
      expectProjection([text]);
      expectSameFold(text);
    }
    expect(itemTokens(['alita\u200BSequel'], vocabulary)).toEqual(['\0', '\0', 'alita', 'sequel', '\0']);
  });

  it('keep the spelling of a word a prefix word fits, and tell numbers from words', () => {
    const small = buildVocabulary([
      { text: 'sequel', prefix: true },
      { text: 'alita', prefix: false },
      { text: '2', prefix: false },
      { text: '続', prefix: false },
    ]);
    expect(itemTokens(['Sequels of ALITA 2, 2019 and Zalem: 続編'], small)).toEqual(
      ['\0', '\0', 'sequels', OTHER_WORD, 'alita', '2', '\0', OTHER_NUMBER, OTHER_WORD, OTHER_WORD, '続', OTHER_WORD, '\0'],
    );
    // A prefix word may be the whole word, or the word may run past it or stop inside it.
    expect(['sequel', 'sequela', 'seque', 'sequelae'].map((w) => projectWord(small, w))).toEqual(['sequel', 'sequela', OTHER_WORD, 'sequelae']);
  });

  it('are each item its own, though written in one work array', () => {
    const long = ['Alita: Battle Angel 2 is coming. ' + 'Robert Rodriguez and James Cameron confirmed the sequel. '.repeat(40)];
    const short = ['Alita 2'];
    const fresh = itemTokens(short, buildVocabulary([...vocabulary.words.filter(Boolean)].map((text) => ({ text, prefix: false }))));
    const first = itemTokens(long, vocabulary);
    const copy = [...first];
    const after = itemTokens(short, vocabulary);
    // Nothing of the long item is left behind the short one's tokens, and what was handed out stays as it was.
    expect(after).toEqual(['\0', '\0', 'alita', '2', '\0']);
    expect(after).toEqual(fresh);
    expect(first).toEqual(copy);
    expect(itemTokens(['Alita sequel', '', 'Ido zorblaxes'], vocabulary)).toEqual(['\0', '\0', 'alita', 'sequel', '\0', '\0', '\0', 'ido', OTHER_WORD, '\0']);
  });

  it('spell out the word a reason names', () => {
    const verdict = judge({ title: 'Christoph Waltz (Alita) returns for the sequel of Zorblax 2' }, topic);
    expect(verdict.reasons).toContain('ignored: sequel* (nearer to the sequel of another work: zorblax)');
  });

  it('cover every word of a topic, its newer sections included', () => {
    const raw = { threshold: 1, anchors: ['alita'], sequelTitles: { weight: 1, first: ['alita'] }, sequelCues: { weight: 1, terms: [] }, sequelPairs: { weight: 1, pairs: [] }, hints: { weight: 1, terms: [] }, people: { weight: 1, terms: [] }, noise: { weight: 1, terms: [] }, otherWorks: { terms: [] }, negations: { afterCue: ['pero no'] } };
    const own = vocabularyOf(compileTopic(raw));
    expect(['pero', 'no', 'alita'].map((w) => projectWord(own, w))).toEqual(['pero', 'no', 'alita']);
    expect(projectWord(own, 'sequel')).toBe(OTHER_WORD);
  });
});
