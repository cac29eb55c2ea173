/**
 * Direct quotations of known people in a news item: a quotation in marks whose one speaker the
 * text makes clear (“…,” Rodriguez said · Cameron told Empire: “…” · selon Cameron, « … » ·
 * 「…」とキャメロン監督は語った · “…,” he added, after a sentence naming only one of them).
 * Accuracy first: a quotation with no clear speaker, two possible speakers, a question put to
 * someone, a character's line or fewer than four words is left out.
 */
import { ACCORDING_TO, CLAUSE_BREAKS, fold, JA_HONORIFIC, JA_NOT_SPEECH, JA_SPEECH, LINE_WORDS, PREPOSITIONS, PRONOUN_CLAUSE, QUESTION_WORDS, RELATIVES, SPEECH_VERBS, TITLES } from './lexicon.ts';
import { mentionMatcher, type Matcher, type Mention } from './mentions.ts';
import type { People } from './people.ts';
import { findSpans, type Span } from './spans.ts';

export interface ExtractedQuote {
  /** Full name as in data/people.json. */
  speaker: string;
  /** The words without their marks; a quotation split by its attribution joined with a space. */
  text: string;
  /** The sentence around it, for a moderator reviewing it. */
  context: string;
}

export interface QuoteExtractor {
  extract(item: { title: string; summary?: string; fullText?: string }): ExtractedQuote[];
}

const MIN_WORDS = 4;
const MIN_CJK = 8;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

function longEnough(text: string): boolean {
  // A question is put to someone far more often than asked by the person it is attributed to.
  if (/[?？]\s*$/u.test(text)) return false;
  if (CJK.test(text) && /^[\p{Script=Katakana}ー・：:\s]+$/u.test(text)) return false;
  if (CJK.test(text)) return (text.match(/[\p{L}\p{N}]/gu) ?? []).length >= MIN_CJK;
  const words = text.match(WORD) ?? [];
  return words.length >= MIN_WORDS && !looksLikeTitle(text, words);
}

/** "Era uma Vez no México", "Once Upon a Time in Mexico": a work's title in quotation marks, not words someone said. */
function looksLikeTitle(text: string, words: string[]): boolean {
  if (words.length > 7 || /[,.!?;:]/.test(text)) return false;
  return words.filter((w) => /^\p{Lu}/u.test(w)).length * 2 > words.length;
}

/** Folded words; "l’actrice", "dell'attrice", "33-year-old" come apart. */
const wordsOf = (text: string) => (fold(text).match(WORD) ?? []).flatMap((w) => w.split(/[-'’]/)).filter(Boolean);

export function quoteExtractor(people: People): QuoteExtractor {
  const matcher = mentionMatcher(people);
  const characters = new Set(people.characters.map(fold));
  const titles = new Map(people.people.map((p) => [p.name, new Set(p.titles.map(fold))]));
  // A title may be several words ("le réalisateur canadien"): the person must have every one.
  const holds = (who: string, said: string) => said !== '' && said.split(' ').every((t) => titles.get(who)?.has(t));
  const allTitles = new Set([...titles.values()].flatMap((t) => [...t]));
  return {
    extract(item) {
      const found = new Map<string, ExtractedQuote>();
      const pieces = [
        { text: item.title, titleCase: true },
        { text: item.summary ?? '', titleCase: false },
        { text: item.fullText ?? '', titleCase: false },
      ];
      for (const piece of pieces) {
        if (!piece.text) continue;
        for (const quote of extractFrom(piece.text, matcher, characters, allTitles, holds, piece.titleCase)) {
          const key = `${quote.speaker}\n${quote.text}`;
          if (!found.has(key)) found.set(key, quote);
        }
      }
      return [...found.values()];
    },
  };
}

interface Attributed {
  span: Span;
  text: string;
  speaker?: string;
  context: string;
}

/** Sentence ends outside quotations: a mark of end then a space, a Japanese full stop, a paragraph. */
function isSentenceEnd(text: string, at: number): boolean {
  const ch = text[at]!;
  if (ch === '\n' || ch === '。' || ch === '！' || ch === '？') return true;
  return (ch === '.' || ch === '!' || ch === '?') && (at + 1 >= text.length || /\s/.test(text[at + 1]!)) && !/\b(?:Dr|Mr|Mrs|Ms|Sr|Sra|St|Prof|M)$/.test(text.slice(Math.max(0, at - 4), at));
}

function extractFrom(text: string, matcher: Matcher, characters: Set<string>, allTitles: Set<string>, holds: Holds, titleCase: boolean): ExtractedQuote[] {
  const spans = findSpans(text);
  if (spans.length === 0) return [];
  const mentions = matcher.find(text, { titleCase });
  const inSpan = (at: number) => spans.some((s) => at > s.open && at < s.close);
  const outside = mentions.filter((m) => !inSpan(m.start));
  const results: Attributed[] = [];
  let last: { speaker: string; close: number } | undefined;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    const prevClose = i > 0 ? spans[i - 1]!.close : -1;
    const nextOpen = i + 1 < spans.length ? spans[i + 1]!.open : text.length;
    let start = span.open;
    // Titles and scare quotes earlier in the sentence are part of its words: Rodriguez Says ‘Alita 2’ Is Done: ‘…’
    for (let j = i - 1, floor = prevClose; start - 1 > floor || (j >= 0 && start - 1 === spans[j]!.close && !longEnough(spans[j]!.text) && !/[.!?。！？]$/u.test(spans[j]!.text)); ) {
      if (j >= 0 && start - 1 === spans[j]!.close && !longEnough(spans[j]!.text) && !/[.!?。！？]$/u.test(spans[j]!.text)) {
        start = spans[j]!.open;
        j--;
        floor = j >= 0 ? spans[j]!.close : -1;
        continue;
      }
      // "Salazar answered:" and the quotation as a paragraph of its own: the colon's sentence goes on.
      if (isSentenceEnd(text, start - 1) && !(text[start - 1] === '\n' && /[:：]\s*$/u.test(text.slice(0, start)))) break;
      start--;
    }
    let end = span.close + 1;
    // «… C'era.» Il conduttore ha chiesto: — the quotation ended its sentence; what follows is the next one.
    const next = outside.find((m) => m.start > span.close && m.start <= span.close + 3);
    const saidNext = next !== undefined && wordsOf(text.slice(next.end, next.end + 30)).slice(0, 2).some((w) => SPEECH_VERBS.has(w));
    const endsSentence = /[.!?。！？]$/u.test(span.text) && /^\s+\p{Lu}/u.test(text.slice(end, end + 3)) && !saidNext;
    while (!endsSentence && end < nextOpen && !isSentenceEnd(text, end)) end++;
    const before = { from: start, to: span.open };
    const after = { from: span.close + 1, to: end };
    const clause = (r: { from: number; to: number }) => outside.filter((m) => m.start >= r.from && m.end <= r.to);
    const context = sentenceAround(text, span);

    // A quotation split by its attribution: “We would love to,” Rodriguez said, “but…”
    const previous = results[results.length - 1];
    let speaker = attribute(text, span, before, after, clause(before), clause(after), characters, allTitles);
    if (previous?.speaker && previous.span === spans[i - 1] && isContinuation(text, previous.span, span) && (speaker === undefined || speaker.startsWith(PRONOUN) || speaker === previous.speaker)) {
      previous.text = `${previous.text} ${span.text}`;
      last = { speaker: previous.speaker, close: span.close };
      continue;
    }
    if (speaker?.startsWith(PRONOUN)) {
      const title = speaker.slice(PRONOUN.length);
      let back = previousSentenceStart(text, start, spans);
      let named = distinct(outside.filter((m) => m.start >= back && m.end <= span.open));
      // Someone the bot does not know is named in this sentence ("Bob Iger … ajouté :"), or in the one before when it names nobody known.
      const sentenceStart = sentenceStartOf(text, span.open, spans);
      if (namesSomeoneElse(text, sentenceStart, span.open, outside, spans) || (named.length === 0 && namesSomeoneElse(text, back, sentenceStart, outside, spans))) named = ['?', '?'];
      const titled = named.length === 0 && !title && wordsOf(outsideText(text, back, span.open, spans)).some((w) => allTitles.has(w));
      if (named.length === 0 && !titled && !(last && last.close >= back) && back > 0) {
        back = previousSentenceStart(text, back, spans);
        named = distinct(outside.filter((m) => m.start >= back && m.end <= span.open));
      }
      speaker = named.length === 1 ? named[0] : named.length === 0 && last && last.close >= back ? last.speaker : undefined;
      // "El director se tomó un segundo. «…», admitió." — no name, but the title of the one known
      // person of the passage who has it, named last before here.
      if (named.length === 0 && speaker === undefined) {
        const said = title || wordsOf(outsideText(text, back, span.open, spans)).find((w) => allTitles.has(w));
        const earlier = said ? outside.filter((m) => m.end <= back && holds(m.who, said)) : [];
        const holders = distinct(outside.filter((m) => m.end <= back && !m.who.startsWith('other:')).filter((m) => said && holds(m.who, said)));
        if (holders.length === 1 && earlier.length > 0) speaker = holders[0];
      }
      // "the director said" is the person before only if that is the director; else "sagte der
      // Texaner", "the producer explained": the nearest sentence before that names one who is.
      if (title && (speaker === undefined || !holds(speaker, title))) speaker = named.includes('?') ? undefined : titleHolder(text, span.open, sentenceStart, title, outside, spans, holds);
    }
    if (speaker === undefined) speaker = leadIn(text, span, start, end, outside, spans, holds);
    const known = speaker && !speaker.startsWith('other:') ? speaker : undefined;
    results.push({ span, text: span.text, ...(known ? { speaker: known } : {}), context });
    if (known) last = { speaker: known, close: span.close };
    else if (speaker === undefined || speaker.startsWith('other:')) last = undefined;
  }
  return results.filter((r): r is Attributed & { speaker: string } => r.speaker !== undefined && longEnough(r.text)).map((r) => ({ speaker: r.speaker, text: r.text, context: r.context }));
}

type Holds = (who: string, title: string) => boolean;

/** The one known person with `title` named in the nearest of the few sentences before `at`; two such people there: nobody. */
function titleHolder(text: string, at: number, sentenceStart: number, title: string, outside: Mention[], spans: Span[], holds: Holds): string | undefined {
  let to = at;
  let from = sentenceStart;
  for (let k = 0; k < 4; k++) {
    const holders = distinct(outside.filter((m) => m.start >= from && m.end <= to && !m.who.startsWith('other:') && holds(m.who, title)));
    if (holders.length > 0) return holders.length === 1 ? holders[0] : undefined;
    if (from <= 0) return undefined;
    to = from;
    from = previousSentenceStart(text, from, spans);
  }
  return undefined;
}

/**
 * "Rodriguez lacht. „…“", "The director did not hesitate. "…"": a quotation standing alone right
 * after a short sentence whose subject is one known person (by name, or by a title only they have there).
 */
function leadIn(text: string, span: Span, start: number, end: number, outside: Mention[], spans: Span[], holds: Holds): string | undefined {
  if (!/^[\s—–-]*$/u.test(text.slice(start, span.open)) || /[\p{L}\p{N}]/u.test(text.slice(span.close + 1, end))) return undefined;
  const from = previousSentenceStart(text, start, spans);
  const lead = text.slice(from, start).trim();
  if (!/[.:]$/u.test(lead) || spans.some((s) => s.open >= from && s.open < start)) return undefined;
  const words = wordsOf(lead);
  if (words.length > 8 || words.some((w) => QUESTION_WORDS.has(w)) || namesSomeoneElse(text, from, start, outside, spans)) return undefined;
  const named = outside.filter((m) => m.start >= from && m.end <= start);
  const subject = wordsOf(text.slice(from, named[0]?.start ?? start));
  if (named.length > 0) return distinct(named).length === 1 && subject.every((w) => TITLES.has(w)) ? named[0]!.who : undefined;
  const article = subject.findIndex((w) => !ARTICLES.has(w));
  const title = subject.slice(article, article + 1).join(' ');
  return article >= 0 && article <= 1 && title ? titleHolder(text, from, from, title, outside, spans, holds) : undefined;
}

/** Verbs whose object a name right after them is: "told Cameron:", "asked Rodriguez:". */
const TELL = new Set(['told', 'tells', 'tell', 'asked', 'asks', 'ask', 'interrupted', 'answered', 'replied', 'fragte', 'fragt', 'pregunto', 'pergunta', 'perguntou', 'demande', 'chiede', 'thanked']);

const AUXILIARIES = new Set(['a', 'ha', 'hat', 'has', 'had', 'have', 'ont', 'hanno', 'haben', 'hatte', 'avait', 'aveva', 'tiene', 'tem', 'hizo', 'fez']);

function distinct(mentions: Mention[]): string[] {
  return [...new Set(mentions.map((m) => m.who))];
}

/** The shared clause between two spans ends with a comma: ‚“…,” X said, “…”‘, „…“, sagte X, „…“. */
function isContinuation(text: string, first: Span, second: Span): boolean {
  const between = text.slice(first.close + 1, second.open);
  if (between.length > 80 || /[.!?。]$/.test(first.text)) return false;
  // “…open with us,” Landau said. “Nobody…” — the first part's comma says the words go on; only the attribution stands between.
  if (/^[\s,]*[\p{L}\p{N}'’. -]{1,40}[.:]\s*$/u.test(between) && /,$/.test(first.text) && wordsOf(between).length <= 5 && wordsOf(between).some((w) => SPEECH_VERBS.has(w))) return true;
  if (!/,\s*$/.test(between)) return false;
  for (let i = first.close + 1; i < second.open; i++) if (isSentenceEnd(text, i)) return false;
  return true;
}

/** The text between two positions without the quotations in it. */
function outsideText(text: string, from: number, to: number, spans: Span[]): string {
  let out = '';
  let at = from;
  for (const span of spans) {
    if (span.close < from || span.open >= to) continue;
    out += text.slice(at, Math.max(at, span.open));
    at = span.close + 1;
  }
  return out + text.slice(at, to);
}

/** A quotation that ends its sentence: “…done.” Then… */
function closesSentence(text: string, at: number, spans: Span[]): boolean {
  const span = spans.find((s) => s.close === at);
  return span !== undefined && /[.!?。！？]$/u.test(span.text) && /^\s/u.test(text.slice(at + 1, at + 2));
}

/** Where the sentence holding `at` starts, quotations inside it skipped. */
function sentenceStartOf(text: string, at: number, spans: Span[]): number {
  let i = at - 1;
  while (i > 0) {
    if (closesSentence(text, i, spans)) return i + 1;
    const span = spans.find((s) => i > s.open && i <= s.close);
    if (span) {
      i = span.open - 1;
      continue;
    }
    if (isSentenceEnd(text, i)) return i + 1;
    i--;
  }
  return 0;
}

/** "Haruka Mori", "Bob Iger": a first name and a surname the bot does not know, outside quotations and known names. */
function namesSomeoneElse(text: string, from: number, to: number, known: Mention[], spans: Span[]): boolean {
  const pattern = /(?<![\p{L}])\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?\s+\p{Lu}\p{Ll}+(?![\p{L}])/gu;
  for (const match of text.slice(from, to).matchAll(pattern)) {
    const at = from + match.index;
    if (at === from || /[.!?:]\s*$/.test(text.slice(Math.max(0, at - 3), at))) continue;
    if (known.some((m) => m.start < at + match[0].length && m.end > at) || spans.some((s) => at > s.open && at < s.close)) continue;
    if (PLACES.test(match[0]) || ORGANISATIONS.test(match[0])) continue;
    return true;
  }
  return false;
}

/** Places and titles of the film's world that look like a person's name. */
const PLACES = /^(?:Iron City|Battle Angel|Los Angeles|Comic Con|New York|San Diego|Hollywood Reporter|Entertainment Weekly|Motorball League|Mars Chronicle|Last Order|Rolling Stone)$/u;

/** "Lightstorm Entertainment", "Troublemaker Studios": companies and outlets, not people. */
const ORGANISATIONS = /\s(?:Entertainment|Studios?|Pictures|Films?|Media|News|Network|Magazine|Times|Post|Weekly|Reporter|Comics|Productions?|Company|Group|Games|Animation|Records|Festival|Awards)$/u;

function previousSentenceStart(text: string, start: number, spans: Span[]): number {
  let at = start - 1;
  // Skip the end of the sentence before, then walk back over it (quotations inside it are opaque).
  while (at > 0 && /[\s.!?。！？]/.test(text[at]!)) at--;
  while (at > 0) {
    if (closesSentence(text, at - 1, spans)) break;
    const span = spans.find((s) => at > s.open && at <= s.close);
    if (span) {
      at = span.open - 1;
      continue;
    }
    if (isSentenceEnd(text, at - 1)) break;
    at--;
  }
  return Math.max(0, at);
}

function sentenceAround(text: string, span: Span): string {
  const from = previousSentenceStart(text, span.open, []) > 0 ? text.lastIndexOf(' ', Math.max(0, span.open - 200)) : 0;
  let to = span.close + 1;
  while (to < text.length && to < span.close + 200 && !isSentenceEnd(text, to)) to++;
  return text.slice(Math.max(0, from), Math.min(text.length, to + 1)).replace(/\s+/g, ' ').trim();
}

/** A verdict that the speaker is the person named just before, and the title the text gave them. */
const PRONOUN = 'pronoun:';
/** "the 33-year-old actress", "die 33-Jährige": an age stands with the title, or for it. */
const AGES = /^(?:\d{1,3}|year|years|old|jahrige|jahriger|ans|anos|anni|enne|anni)$/u;

/** Where a subject after its verb ends: "ha raccontato il mangaka tramite un'interprete". */
const SUBJECT_ENDS = new Set(['in', 'im', 'auf', 'en', 'dans', 'em', 'no', 'na', 'nel', 'nella', 'tramite', 'via', 'durante', 'entre', 'during', 'lors', 'wahrend', 'dopo', 'after', 'apres', 'despues', 'nach']);

/** Subject pronouns: "he said", "a-t-il ajouté", "ha detto lei". */
const SUBJECTS = new Set(['he', 'she', 'il', 'elle', 'er', 'sie', 'lui', 'lei', 'ele', 'ela', 'el', 'ella', 'egli', 'essa']);

const ARTICLES = new Set(['the', 'der', 'die', 'le', 'la', 'l', 'el', 'o', 'a', 'il', 'lo', 'and', 'e', 'y', 'et', 'und', 'then', 'poi', 'puis', 'luego', 'depois', 'dann', 'also', 'anche', 'aussi', 'tambien', 'tambem', 'auch', 'later', 'then']);

type Verdict = string | undefined;

function attribute(
  text: string,
  span: Span,
  before: { from: number; to: number },
  after: { from: number; to: number },
  namedBefore: Mention[],
  namedAfter: Mention[],
  characters: Set<string>,
  personTitles: Set<string>,
): Verdict {
  const beforeText = text.slice(before.from, before.to);
  const afterText = text.slice(after.from, after.to);
  const isQuestion = /[?？]\s*$/.test(span.text);
  const beforeWords = wordsOf(beforeText);
  const afterWords = wordsOf(afterText);
  if ([...beforeWords, ...afterWords].some((w) => QUESTION_WORDS.has(w)) && (isQuestion || afterWords.some((w) => QUESTION_WORDS.has(w)))) return undefined;
  if ([...beforeWords, ...afterWords].some((w) => LINE_WORDS.has(w))) return undefined;
  if (text[span.open] === '「' || text[span.open] === '『') {
    return attributeJapanese(personTitles, text, before, after, namedBefore, namedAfter);
  }
  // The attribution is the first name after it, up to the next comma: "…,” Cameron told Variety, adding that Rodriguez…
  const firstAfter = namedAfter[0];
  const phraseEnd = firstAfter ? text.slice(firstAfter.end, after.to).search(/[,;]/) : -1;
  const attributing = firstAfter ? namedAfter.filter((m) => phraseEnd < 0 || m.start < firstAfter.end + phraseEnd) : [];
  const whoAfter = distinct(attributing);
  if (whoAfter.length > 1) return undefined;
  if (whoAfter.length === 1) return afterSays(text, after, firstAfter!, characters) ? whoAfter[0] : undefined;
  // "Cameron a rendu hommage à Jon Landau : « … »": a name after a preposition is not the one speaking.
  const subjects = namedBefore.filter((m) => !PREPOSITIONS.has(wordsOf(text.slice(before.from, m.start)).at(-1) ?? ''));
  const whoBefore = distinct(subjects.length > 0 ? subjects : namedBefore);
  if (whoBefore.length > 1) return undefined;
  if (whoBefore.length === 1) return beforeSays(text, before, (subjects[0] ?? namedBefore[0])!, characters) ? whoBefore[0] : undefined;
  // No name around it: "…,” he said. / Ha detto: «…» / „…“, fügte der Regisseur hinzu — the person of the sentence before.
  const byPronoun = (words: string[], lead = 0) => {
    const allowed = (w: string) => PRONOUN_CLAUSE.has(w) || ARTICLES.has(w) || personTitles.has(w) || AGES.test(w);
    let verbAt = words.slice(0, 8).findIndex((w) => SPEECH_VERBS.has(w));
    if (verbAt < 0) return undefined;
    let from = 0;
    // "Auf Instagram schrieb die Schauspielerin:" — a short phrase of place or time may come first.
    if (verbAt > 0 && verbAt <= lead && !words.slice(0, verbAt).every(allowed)) {
      from = verbAt;
      verbAt = 0;
    }
    const clause = words.slice(from);
    let subject: string[];
    // An auxiliary alone ("a déclaré", "ha detto", "hat gesagt") is part of the verb, not its subject.
    if (verbAt > 0 && clause.slice(0, verbAt).some((w) => SUBJECTS.has(w) || personTitles.has(w) || AGES.test(w))) {
      // "he told us", "the actress said on Instagram": after a subject, the verb's object and places follow.
      subject = clause.slice(0, verbAt);
    } else {
      // "sagte der 50-jährige Texaner auf Instagram", "ha detto": the subject after the verb, up to a preposition.
      const rest = clause.slice(verbAt + 1, verbAt + 7);
      const cut = rest.findIndex((w) => (PREPOSITIONS.has(w) || SUBJECT_ENDS.has(w) || RELATIVES.has(w)) && !ARTICLES.has(w) && !SPEECH_VERBS.has(w));
      subject = [...clause.slice(0, verbAt), ...(cut >= 0 ? rest.slice(0, cut) : rest)];
    }
    if (!subject.every((w) => allowed(w) || SPEECH_VERBS.has(w))) return undefined;
    return `${PRONOUN}${subject.filter((w) => personTitles.has(w)).join(' ')}`;
  };
  const introducesNext = /:\s*$/.test(afterText) && after.to < text.length && /[“"«»„「『‘‚]/u.test(text[after.to] ?? '');
  // Only the clause of the attribution: "…», afirmó la actriz, que habló en español".
  const afterClause = introducesNext ? undefined : byPronoun(wordsOf(afterText.replace(/^[\s,;:.!?—–-]+/u, '').split(/[,;(—–]/u)[0]!));
  if (afterClause) return afterClause;
  if (beforeWords.length <= 8 && /[:,]\s*$/.test(beforeText)) {
    const clause = byPronoun(beforeWords, 3);
    if (clause) return clause;
  }
  // "Le réalisateur a ensuite détaillé la séquence du Motorball :", "l'attrice ha risposto ridendo:" — a subject, what they did, a colon.
  if (/:\s*$/u.test(beforeText)) {
    const phrase = wordsOf(beforeText.slice(beforeText.lastIndexOf(',') + 1));
    const at = phrase.findIndex((w) => !ARTICLES.has(w));
    const subject = phrase.slice(at).filter((w, k, all) => k === 0 || (personTitles.has(w) && all.slice(0, k).every((x) => personTitles.has(x) || AGES.test(x))));
    if (at >= 0 && at <= 1 && phrase.length <= 14 && (SUBJECTS.has(subject[0]!) || personTitles.has(subject[0]!))) return `${PRONOUN}${subject.filter((w) => personTitles.has(w)).join(' ')}`;
  }
  return undefined;
}

/** After the quotation: “…,” said director Rodriguez · “…” — Cameron · „…“, so Cameron. */
function afterSays(text: string, after: { from: number; to: number }, mention: Mention, characters: Set<string>): boolean {
  const lead = text.slice(after.from, mention.start);
  const tail = text.slice(mention.end, after.to);
  if (/^[’']s\b/u.test(tail)) return false;
  const leadWords = wordsOf(lead);
  const tailWords = wordsOf(tail).slice(0, 4);
  if (leadWords.length > 5) return false;
  if (leadWords.some((w) => characters.has(w) || CLAUSE_BREAKS.has(w) || RELATIVES.has(w))) return false;
  // "…,” he told Cameron: the name is the one spoken to.
  if (TELL.has(leadWords.at(-1) ?? '')) return false;
  // Only a speech verb, titles and articles may stand between the quotation and the name.
  if (!leadWords.every((w) => SPEECH_VERBS.has(w) || TITLES.has(w) || PRONOUN_CLAUSE.has(w) || /^\p{Ll}/u.test(w) && !PREPOSITIONS.has(w))) return false;
  // «…», parola di Robert Rodriguez · “…”, in the words of Cameron
  if (/^\s*[,—–-]?\s*(?:parola|palabra|palavra|parole|wort|word|words|dixit)(?:\s+(?:di|de|von|of))?\s*$/iu.test(lead)) return true;
  if (leadWords.length > 0 && PREPOSITIONS.has(leadWords[leadWords.length - 1]!) && !SPEECH_VERBS.has(leadWords[leadWords.length - 1]!)) return false;
  // “…” — Rosa Salazar · “…” — producer Jon Landau · “…” (James Cameron, at the Tokyo premiere)
  if (/^\s*[—–-]\s*/.test(lead) && leadWords.every((w) => TITLES.has(w))) return true;
  if (/^\s*\(\s*$/.test(lead)) return true;
  // "», a répondu Rodriguez" · "», ha esordito James Cameron": the verb before its subject, right after the quotation.
  if (/^\s*,/.test(lead) && leadWords.length > 0 && leadWords.length <= 3 && leadWords.every((w) => /^\p{Ll}/u.test(w))) return true;
  if (leadWords.length === 0 && AUXILIARIES.has(tailWords[0] ?? '') && /^\p{Ll}/u.test(tailWords[1] ?? '')) return true;
  return leadWords.some((w) => SPEECH_VERBS.has(w)) || tailWords.slice(0, 3).some((w) => SPEECH_VERBS.has(w)) || (leadWords.length === 0 && /^\s*(?:zufolge)/u.test(tail));
}

/**
 * A cue of ACCORDING_TO ending the lead, at most two words after it ("segun Rodriguez,"): one
 * search for all of them, compiled once, instead of a regex made per cue on every name found.
 */
const ACCORDING_TO_AT_END = new RegExp(`(?:^|[^\\p{L}])(?:${ACCORDING_TO.join('|')})\\s+(?:\\p{L}+\\s+){0,2}$`, 'u');

/** Before it: Cameron told Empire: “…” · según Rodríguez, «…» · James Cameron: "…" */
function beforeSays(text: string, before: { from: number; to: number }, mention: Mention, characters: Set<string>): boolean {
  const lead = fold(text.slice(before.from, mention.start));
  const tail = text.slice(mention.end, before.to);
  if (/^[’']s\b/u.test(tail)) return false;
  // Only the phrase the name stands in: "Asked about a sequel, Salazar said:" — the question was put to her.
  const leadWords = wordsOf(lead.slice(lead.lastIndexOf(',') + 1));
  const tailWords = wordsOf(tail);
  const accordingTo = ACCORDING_TO_AT_END.test(lead);
  if (accordingTo) return /^[\s,:]*$/.test(tail) || tailWords.length <= 3;
  // The name as an object: "told Cameron:", "with Rodriguez,", "asked him".
  const justBefore = leadWords[leadWords.length - 1];
  if (justBefore && (PREPOSITIONS.has(justBefore) || TELL.has(justBefore))) return false;
  // "sagt Rodriguez:" (the verb before its subject) — but not a speech verb further back, whose object the name is.
  if (leadWords.some((w, i) => QUESTION_WORDS.has(w) || (SPEECH_VERBS.has(w) && i < leadWords.length - 1))) return false;
  const untilVerb = tailWords.findIndex((w) => SPEECH_VERBS.has(w));
  const between = untilVerb < 0 ? tailWords : tailWords.slice(0, untilVerb);
  if (between.some((w) => CLAUSE_BREAKS.has(w))) return false;
  // A character just before the verb speaks the line: "Salazar's Alita tells Hugo:", "…, Alita says:".
  const speakerWord = untilVerb > 0 ? tailWords[untilVerb - 1] : undefined;
  if (speakerWord && characters.has(speakerWord)) return false;
  if (untilVerb >= 0) return true;
  // "Zur Premiere in Tokio sagt Kishiro:", "dijo Rodríguez:": the verb just before its subject.
  if (justBefore && SPEECH_VERBS.has(justBefore) && /^\s*[:,]\s*$/u.test(tail)) return true;
  // A headline's "James Cameron: “…”", or the name and a few words then a colon.
  return /:\s*$/.test(tail) && tailWords.length <= 14 && leadWords.filter((w) => !TITLES.has(w)).length <= 2;
}

const JA_LEAD = /^(?:と[^「」。]*、|[^「」。]*?(?:と|たら|ては|には|では|については|について|に対しては|に対して|に関しては|に関して)、?)?(?:(?:\d+歳の)?(?:彼|彼女|同|)(?:監督|氏)?\s*[はが]、?)?$/u;

/** 「…」とキャメロン監督は語った · キャメロン監督は「…」と語った · キャメロン「…」 · 「…」（ロドリゲス監督） */
function attributeJapanese(personTitles: Set<string>, text: string, before: { from: number; to: number }, after: { from: number; to: number }, namedBeforeAll: Mention[], namedAfter: Mention[]): Verdict {
  let namedBefore = namedBeforeAll;
  const beforeText = text.slice(before.from, before.to);
  const afterText = text.slice(after.from, after.to);
  // A question or a prompt put to them (記者から「…」と問われ), a line of the film.
  if (JA_NOT_SPEECH.test(afterText.slice(0, 12)) || /から\s*$/u.test(beforeText)) return undefined;
  const quotative = JA_SPEECH.test(afterText);
  const whoAfter = distinct(namedAfter);
  if (/^\s*[（(]/u.test(afterText)) return whoAfter.length === 1 && /^\s*[（(][^）)]{0,20}[）)]/u.test(afterText) && namedAfter[0]!.start < after.from + 20 ? whoAfter[0] : undefined;
  if (quotative && whoAfter.length === 1) return whoAfter[0];
  if (whoAfter.length > 1) return undefined;
  // Several names before it: the one marked as the subject (キャメロンは、…ロドリゲス監督に託した…).
  const subject = (m: Mention) => /^(?:監督|氏|さん)?\s*[はが]/u.test(text.slice(m.end, before.to));
  // ロドリゲス監督の現場については「…」: a name followed by の is not the one speaking.
  namedBefore = namedBefore.filter((m) => !/^(?:監督|氏|さん)?\s*の/u.test(text.slice(m.end, m.end + 4)));
  // …というヴァルツは、「…」: someone the bot does not know is the topic of the sentence.
  for (const topic of beforeText.matchAll(/[\p{Script=Katakana}ー・]{2,}(?:監督|氏|さん)?は/gu)) {
    const at = before.from + topic.index;
    if (!namedBefore.some((m) => m.start <= at && m.end > at)) return undefined;
  }
  // ロドリゲス監督とキャメロンは連名で「…」: said together, by both.
  if (/連名|2人|二人|ふたり|両者|両監督/u.test(beforeText) || namedBefore.some((m, i) => i + 1 < namedBefore.length && /^(?:監督|氏|さん)?\s*[と&＆、]\s*$/u.test(text.slice(m.end, namedBefore[i + 1]!.start)))) return undefined;
  if (/^\s*(?:と|って)[^「」。]{0,6}(?:口をそろえ|声をそろえ|口を揃え|声を揃え)/u.test(afterText)) return undefined;
  // …ロドリゲス監督に託した理由については「…」: nor is one followed by に, を, から, と or へ.
  namedBefore = namedBefore.filter((m) => !/^(?:監督|氏|さん)?\s*(?:に|を|から|と|へ)/u.test(text.slice(m.end, m.end + 4)));
  const subjects = namedBefore.length > 1 ? namedBefore.filter(subject) : namedBefore;
  const whoBefore = distinct(subjects);
  if (whoBefore.length > 1) return undefined;
  if (whoBefore.length === 1) {
    const rest = text.slice(subjects.at(-1)!.end, before.to);
    // サラザールはこう答えてます： and the quotation as its own paragraph.
    return quotative || JA_HONORIFIC.exec(rest)?.[0] === rest || /^(?:監督|氏|さん)?\s*[はが][^「」。]*[：:]\s*$/u.test(rest) ? whoBefore[0] : undefined;
  }
  if (!quotative || namedBefore.length > 0) return undefined;
  // No name: "彼は「…」", "さらに監督は「…」" or nothing before it; another subject (サルダナは, 2人は) is someone else.
  const stripped = beforeText.replace(/^(?:さらに|また|一方|続けて|そして)、?/u, '').trim();
  const title = [...personTitles].find((t) => stripped.includes(t) || afterText.slice(0, 12).includes(t));
  // A topic or a question first (心境を聞くと、· 続編については、), or the same speaker's next words (と強調しつつも、).
  if (stripped && !JA_LEAD.test(stripped)) return undefined;
  // 「…」と33歳の彼女は笑顔を見せた · 「…」と同監督。 — and not 「…」とジョンソンは語った.
  const subjectAfter = /^\s*(?:と|って)([^「」。]{0,16}?)[はが]/u.exec(afterText);
  if (subjectAfter && !/^(?:\d+歳の)?(?:彼|彼女|同監督|同氏|監督|同|)$/u.test(subjectAfter[1]!.trim())) return undefined;
  return `${PRONOUN}${title ?? ''}`;
}
