/**
 * prepareJudging builds, before any item, what judge would build at the first item that needs it
 * (the parse worker runs it as it starts): once it has run, judging reads what it built, and the
 * verdicts are those of a topic left to build its indexes as it goes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mayMentionWords, prepareProbe } from '../src/engine/mentions.ts';
import { judge, prepareJudging } from '../src/engine/relevance.ts';
import { prepareScans } from '../src/engine/scan.ts';
import { loadTopic } from '../src/engine/topic.ts';
import { hasVocabulary, vocabularyOf } from '../src/engine/vocabulary.ts';

interface Labelled {
  title: string;
  summary?: string;
  content?: string;
}

const items = (JSON.parse(readFileSync(new URL('../../shared/relevance/dev-set.json', import.meta.url), 'utf8')) as { items: Labelled[] }).items;

describe('prepareJudging', () => {
  it('builds the vocabulary, the scans and the probe of a topic that judged nothing yet', () => {
    const topic = loadTopic();
    expect(hasVocabulary(topic)).toBe(false);
    expect(prepareJudging(topic)).toBe(true);
    expect(hasVocabulary(topic)).toBe(true);
    // What judge reads later is what was built, not a second copy.
    const built = vocabularyOf(topic);
    judge({ title: 'Alita: Battle Angel 2 is coming, Rodriguez says' }, topic);
    expect(vocabularyOf(topic)).toBe(built);
  });

  it('gives every verdict a topic built as it goes gives', () => {
    const prepared = loadTopic();
    prepareJudging(prepared);
    const lazy = loadTopic();
    expect(items.length).toBeGreaterThan(20);
    for (const item of items) {
      const input = { title: item.title, summary: item.summary, fullText: item.content };
      expect(judge(input, prepared)).toEqual(judge(input, lazy));
      const words = [item.title, item.summary ?? '', item.content ?? ''];
      expect(mayMentionWords(words, prepared)).toBe(mayMentionWords(words, lazy));
    }
  });

  it('reports each part built, and builds each once however often it is called', () => {
    const topic = loadTopic();
    expect(prepareScans(topic)).toBe(true);
    expect(prepareProbe(topic)).toBe(true);
    expect(hasVocabulary(topic)).toBe(false);
    expect(prepareJudging(topic)).toBe(true);
    const built = vocabularyOf(topic);
    prepareJudging(topic);
    expect(vocabularyOf(topic)).toBe(built);
  });
});
