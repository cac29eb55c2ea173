import { decodeHTML } from 'entities';
import { COMMENT, stripMarkup } from './strip-markup.ts';

// Zero-width and bidi controls hide words from filters and from readers alike.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u00AD]/g;
// C0/C1 controls other than whitespace; Discord shows them as boxes.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const TAG_LIKE = /<\/?[a-z!?][^<>]*>/i;
/** An entity left after decoding: text escaped twice, which htmlToText decodes again. */
const ENTITY = /&(#\d+|#x[\da-f]+|[a-z]+\d*);/i;
/** Either of the two, in one search: most texts have neither, and each search reads the whole text. */
const ESCAPED = new RegExp(`${TAG_LIKE.source}|${ENTITY.source}`, 'i');
const TAG_LIKE_ALL = new RegExp(TAG_LIKE.source, 'gi');
/** A stray `<` or `>`, or an entity: what makes wordsForProbe leave a text to htmlToText. */
const UNSURE = new RegExp(`[<>]|${ENTITY.source}`, 'i');
/** What htmlparser2 would change in a text: a tag's or a comment's start, an entity. */
const PARSED = /[<&]/;

/** Where a block element stood, in paragraphs mode: no character of text, so a second pass keeps it. */
const BLOCK = '\uE000';

/**
 * HTML (or plain text that may hold entities) to one line of plain text.
 * Feeds often escape their HTML twice, so a pass that still leaves something tag-shaped
 * is run again; whatever survives three passes is cut out.
 */
export function htmlToText(html: string, options: { paragraphs?: boolean } = {}): string {
  const fold = options.paragraphs ? foldParagraphs : foldWhitespace;
  // Most titles, authors and many summaries hold neither markup nor entities: the parser would
  // hand back the same text.
  // (In plain text, a blank line ends a paragraph.)
  if (!PARSED.test(html)) return fold(options.paragraphs ? html.replace(/\n\s*\n/g, BLOCK) : html);
  let text = options.paragraphs ? html.replaceAll(BLOCK, '') : html;
  let left = true;
  for (let pass = 0; pass < 3 && left; pass++) {
    text = stripMarkup(text, options.paragraphs ? BLOCK : ' ');
    left = ESCAPED.test(text);
  }
  // A text with nothing tag-shaped left is not searched for a tag again (a pass over every article).
  return fold(left ? text.replace(TAG_LIKE_ALL, ' ') : text);
}

/**
 * foldWhitespace, but where a block element (or, in plain text, a blank line) was, a newline:
 * who said a quotation depends on which paragraph it stands in. Any other line break is a space.
 */
function foldParagraphs(text: string): string {
  const folded = foldWhitespace(text);
  if (!folded.includes(BLOCK)) return folded;
  // A split, not a regex: one that may start at any space is tried at every space of a long article.
  // A loop, not map and filter: their arrays' maps differed between a text of one paragraph and one
  // of many, which made V8 drop htmlToText's optimised code on long items.
  const paragraphs: string[] = [];
  for (const piece of folded.split(BLOCK)) {
    const paragraph = piece.trim();
    if (paragraph) paragraphs.push(paragraph);
  }
  return paragraphs.join('\n');
}

/**
 * A run of tags and comments as htmlparser2 reads them: `<` and a letter or a slash up to the
 * next `>`; `<!--` up to the first `-->`, whose dashes may be the opening's own (`<!-->`).
 * Reddit's feeds wrap every post in comments.
 */
const TAG_RUN = new RegExp(`(?:${COMMENT}|<[a-z/][^<>]*>)+`, 'gi');
/** What htmlToText drops with its content, or reads other than as a tag or a comment: bail out on those. */
const HIDES_TEXT = /<(?:\?|!(?!--)|(?:script|style|noscript|template|iframe|object|embed|svg|math|head|title)[\s/>])/i;
/**
 * Outside ASCII, a letter, a digit or a mark; or an invisible character, which htmlToText drops,
 * so that the letters around it meet ("Ali\u200b<b>ta").
 */
const JOINS_OUTSIDE_ASCII = new RegExp(`[\\p{L}\\p{N}\\p{M}]|${INVISIBLE.source}`, 'u');
/**
 * A character a tag between two of would join into one word: a letter, a digit, a mark or an
 * invisible character (half a surrogate pair, to be safe). Japanese text has a tag after almost
 * every 。, which is none.
 */
const wordy = (code: number) =>
  code < 128
    ? (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90)
    : (code >= 0xd800 && code <= 0xdfff) || JOINS_OUTSIDE_ASCII.test(String.fromCharCode(code));

/**
 * The words htmlToText would give, as far as a search for names can tell, without parsing: tags
 * and comments made spaces, entities decoded; invisible characters and controls left in (the probe
 * drops the invisible ones as it folds, and reads a control as the space htmlToText makes of it:
 * a pass over every article less). Undefined whenever the
 * markup could join or hide words that way (a tag or comment inside a word, a script, a stray `<`
 * or `>`, text escaped twice): then only htmlToText can say. Every name htmlToText's text holds is
 * in this text too, spaces aside, which is what lets a probe judge an item before it is normalised.
 */
export function wordsForProbe(html: string): string | undefined {
  if (html.includes(BLOCK)) return undefined;
  if (!PARSED.test(html)) return html;
  if (HIDES_TEXT.test(html)) return undefined;
  let joined = false;
  let text = html.replace(TAG_RUN, (run: string, at: number) => {
    // Bounds checked (charCodeAt outside the text made V8 drop this function's optimised code).
    const after = at + run.length;
    if (at > 0 && after < html.length && wordy(html.charCodeAt(at - 1)) && wordy(html.charCodeAt(after))) joined = true;
    return ' ';
  });
  if (joined) return undefined;
  if (text.includes('&')) text = decodeHTML(text);
  return UNSURE.test(text) ? undefined : text;
}

/** Whether htmlToText would make nothing of a text (wordsForProbe's): only whitespace, invisible characters and controls. */
export function blank(text: string): boolean {
  return BLANK.test(text);
}

/** Drops invisible characters only (the probe's folding: a control is no letter to it, as a space is none). */
export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Any character INVISIBLE or CONTROL would touch: most text has none, and then skips both passes. */
const ODD = new RegExp(`${INVISIBLE.source}|${CONTROL.source}`);

const BLANK = new RegExp(`^(?:\\s|${INVISIBLE.source}|${CONTROL.source})*$`);

/** Invisible characters removed, controls made spaces; whitespace left as it is. */
export function dropInvisible(text: string): string {
  return ODD.test(text) ? text.replace(INVISIBLE, '').replace(CONTROL, ' ') : text;
}

/** Invisible characters removed, controls and runs of whitespace made one space, ends trimmed. */
export function foldWhitespace(text: string): string {
  const visible = dropInvisible(text);
  // Same as replacing every run of whitespace (\s+) by a space, but a lone space, which is most
  // of them, is no match: long articles are not rebuilt space by space.
  return visible.replace(/ \s+|[^\S ]\s*/g, ' ').trim();
}

/**
 * A plain-text field from rss-parser: a string, an xml2js node `{ _: text }`, or an array of those.
 * Walked in a loop: a hostile document can nest `<name>` elements deeper than the stack goes.
 */
export function asText(value: unknown): string {
  let at = value;
  for (;;) {
    if (typeof at === 'string') return at;
    if (typeof at === 'number') return String(at);
    if (Array.isArray(at)) {
      if (at.length === 0) return '';
      at = at[0];
    } else if (at && typeof at === 'object' && '_' in at) at = (at as { _: unknown })._;
    else if (at && typeof at === 'object' && 'name' in at) at = (at as { name: unknown }).name;
    else return '';
  }
}

/** Cuts text to at most `max` characters at a word boundary, ending with an ellipsis when cut. */
export function truncateAtWord(text: string, max: number): string {
  // No text has more characters than UTF-16 units, and 2 max + 2 units hold over max characters:
  // a long article is never split into characters whole.
  if (text.length <= max) return text;
  const chars = Array.from(text.slice(0, 2 * max + 2));
  if (chars.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  // Only back up to a word boundary when that keeps most of the text.
  if (space > cut.length * 0.6) cut = cut.slice(0, space);
  return `${cut.replace(/[\s\\]+$/, '')}…`;
}

/**
 * Whether the summary is the full text's opening, spaces aside (a feed's description that is the
 * article's first paragraph, or normalize's stand-in cut from the full text): its words are the
 * full text's, and reading them twice doubled the work of an item's first paragraph for nothing.
 */
export function opensFullText(summary: string, fullText: string): boolean {
  // A summary cut short ends in an ellipsis at a word's end; the words before it are the opening.
  const end = summary.endsWith('…') ? summary.length - 1 : summary.length;
  if (end === 0 || fullText.length < end) return false;
  let j = 0;
  for (let i = 0; i < end; i++, j++) {
    const a = summary.charCodeAt(i);
    if (a === 32) {
      // One space in the summary stands for any run of whitespace in the full text (a newline between paragraphs).
      if (j >= fullText.length || !isSpace(fullText.charCodeAt(j))) return false;
      while (j + 1 < fullText.length && isSpace(fullText.charCodeAt(j + 1))) j++;
    } else if (a !== fullText.charCodeAt(j)) return false;
  }
  // The opening must end at a word's end, not inside one ("Alita" is no opening of "Alitas").
  return j >= fullText.length || !wordy(fullText.charCodeAt(j)) || !wordy(summary.charCodeAt(end - 1));
}

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13 || c === 0xa0;
