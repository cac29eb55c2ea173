import { describe, expect, it } from 'vitest';
import { judge } from '../src/engine/relevance.ts';
import { foldWhitespace, opensFullText, truncateAtWord } from '../src/engine/text.ts';
import { loadTopic } from '../src/engine/topic.ts';

const topic = loadTopic();

// The lede holds a cue the verdict lists once per place it stands ("ignored: follow up …").
const lede = 'Rosa Salazar says Alita 2 is closer than fans think. A follow up to Machete is on the slate too.';
const article = [lede, 'The film would pick up in Iron City.', 'James Cameron still calls it his favourite project.'].join('\n');

describe('a summary that is the full text\'s opening', () => {
  it('is recognised across the full text\'s paragraph breaks and when cut short with an ellipsis', () => {
    expect(opensFullText(lede, article)).toBe(true);
    expect(opensFullText(foldWhitespace(article), article)).toBe(true);
    // normalize's stand-in for a missing description: the full text's start, cut at a word.
    expect(opensFullText(truncateAtWord(foldWhitespace(article), 120), article)).toBe(true);
  });

  it('is not recognised when the words differ, stop inside a word, or are none', () => {
    expect(opensFullText('Rosa Salazar says Alita 3 is closer', article)).toBe(false);
    expect(opensFullText('Rosa Sala', article)).toBe(false);
    expect(opensFullText('', article)).toBe(false);
    expect(opensFullText(lede, '')).toBe(false);
    expect(opensFullText(`${lede} More`, lede)).toBe(false);
  });

  it('is read once: the verdict and its reasons are those of the full text alone', () => {
    const once = judge({ title: 'Sequel talk', summary: '', fullText: article }, topic);
    const repeated = judge({ title: 'Sequel talk', summary: lede, fullText: article }, topic);
    expect(repeated).toEqual(once);
    expect(once.relevant).toBe(true);
    expect(once.reasons.filter((r) => r.startsWith('ignored: follow up'))).toHaveLength(1);
  });

  it('leaves a summary of its own words alone: they still count', () => {
    const body = 'Rosa Salazar talked about Alita at a convention in Austin.';
    const own = 'The sequel, Alita 2, is in the works, Robert Rodriguez says.';
    expect(judge({ title: 'Convention notes', summary: '', fullText: body }, topic).relevant).toBe(false);
    expect(judge({ title: 'Convention notes', summary: own, fullText: body }, topic).relevant).toBe(true);
  });
});
