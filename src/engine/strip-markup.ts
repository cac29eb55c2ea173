import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';

/** Elements whose content is never readable text (and in feeds is usually an attack). */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'head', 'title']);
/** Elements that end a run of text: keep words on both sides apart. */
const BREAKS = new Set(['br', 'p', 'div', 'li', 'ul', 'ol', 'tr', 'td', 'th', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'hr', 'section', 'article', 'figure', 'figcaption', 'dd', 'dt']);

/**
 * One pass of HTML to text: the text of every element but SKIPPED ones, entities decoded, `gap`
 * where a BREAKS element opens or closes. htmlparser2 reads it as a browser would; stripSimple
 * gives the same for the markup most feeds hold, without building a parser for each text.
 */
export function stripMarkup(html: string, gap: string): string {
  return stripSimple(html, gap) ?? stripOnce(html, gap);
}

/** stripMarkup by htmlparser2: the reference stripSimple is held to (test/strip-markup.test.ts). */
export function stripOnce(html: string, gap: string): string {
  const out: string[] = [];
  let skipping = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipping++;
        else if (BREAKS.has(name)) out.push(gap);
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipping = Math.max(0, skipping - 1);
        else if (BREAKS.has(name)) out.push(gap);
      },
      ontext(text) {
        if (skipping === 0) out.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return out.join('');
}

/** Inline elements stripSimple reads; any other element than these and BREAKS is left to htmlparser2. */
const INLINE = new Set(['a', 'abbr', 'b', 'big', 'cite', 'code', 'del', 'em', 'font', 'i', 'img', 'ins', 'kbd', 'mark', 'q', 's', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'wbr']);
/** htmlparser2's void elements among them: closed as soon as opened. */
const VOID = new Set(['br', 'hr', 'img', 'wbr']);
/** htmlparser2's openImpliesClose for them: opening the key closes an open element of its set first. */
const P = new Set(['p']);
const IMPLIES_CLOSE = new Map<string, Set<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ...['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'article', 'blockquote', 'div', 'figcaption', 'figure', 'hr', 'ol', 'pre', 'section', 'table', 'ul'].map((name) => [name, P] as [string, Set<string>]),
]);

/** A comment as htmlparser2 reads it: "<!--" to the first "-->", whose dashes may be the opening's own ("<!-->"). */
export const COMMENT = '<!--(?:>|->|[\\s\\S]*?-->)';
const COMMENT_AT = new RegExp(COMMENT, 'y');

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 12 || c === 13;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

/**
 * stripOnce's result, by a scan that follows htmlparser2's tokenizer and its tree rules for the
 * elements above, or undefined for markup it leaves to htmlparser2: another element, one that an
 * open one would implicitly close, a declaration or processing instruction, a `<` that opens no
 * tag, a tag or comment that does not end. Building htmlparser2's parser for every item's text
 * was half of turning it to plain text.
 */
export function stripSimple(html: string, gap: string): string | undefined {
  const out: string[] = [];
  const open: string[] = [];
  const n = html.length;
  const close = (name: string) => {
    if (BREAKS.has(name)) out.push(gap);
  };
  let at = 0;
  for (;;) {
    const lt = html.indexOf('<', at);
    const end = lt < 0 ? n : lt;
    if (end > at) {
      const text = html.slice(at, end);
      out.push(text.includes('&') ? decodeHTML(text) : text);
    }
    if (lt < 0) break;
    const first = html.charCodeAt(lt + 1);
    if (first === 33) {
      COMMENT_AT.lastIndex = lt;
      if (!COMMENT_AT.test(html)) return undefined;
      at = COMMENT_AT.lastIndex;
      continue;
    }
    const closing = first === 47;
    let i = lt + (closing ? 2 : 1);
    if (!isLetter(html.charCodeAt(i))) return undefined;
    const nameStart = i;
    // A closing tag's name ends at a space or ">"; an opening one's at "/" too.
    while (i < n) {
      const c = html.charCodeAt(i);
      if (isSpace(c) || c === 62 || (!closing && c === 47)) break;
      i++;
    }
    const name = html.slice(nameStart, i).toLowerCase();
    if (!BREAKS.has(name) && !INLINE.has(name)) return undefined;
    if (closing) {
      const gt = html.indexOf('>', i);
      if (gt < 0) return undefined;
      at = gt + 1;
      const pos = open.lastIndexOf(name);
      if (pos >= 0) {
        // Closes it and whatever is still open inside it.
        while (open.length > pos) close(open.pop()!);
      } else if (name === 'p' || name === 'br') {
        // "</p>" and "</br>" with nothing to close: an empty element, opened and closed.
        close(name);
        close(name);
      }
      continue;
    }
    const gt = tagEnd(html, i);
    if (gt < 0) return undefined;
    at = gt + 1;
    const implied = IMPLIES_CLOSE.get(name);
    if (implied && open.length > 0 && implied.has(open[open.length - 1]!)) return undefined;
    close(name);
    if (VOID.has(name)) close(name);
    else open.push(name);
  }
  // The end closes what is still open.
  while (open.length > 0) close(open.pop()!);
  return out.join('');
}

/**
 * Where an opening tag ends, its name read up to `i`, as htmlparser2's tokenizer reads its
 * attributes (a quoted value may hold ">"; "/" before ">" makes no difference in HTML); -1 when
 * the text ends first or an attribute begins with "=".
 */
function tagEnd(html: string, i: number): number {
  const n = html.length;
  while (i < n) {
    let c = html.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 62) return i;
    if (c === 47) {
      i++;
      while (i < n && isSpace(html.charCodeAt(i))) i++;
      if (html.charCodeAt(i) === 62) return i;
      continue;
    }
    if (c === 61) return -1;
    // An attribute's name, then perhaps "=" and its value.
    while (i < n && !(isSpace((c = html.charCodeAt(i))) || c === 47 || c === 62 || c === 61)) i++;
    while (i < n && isSpace(html.charCodeAt(i))) i++;
    if (html.charCodeAt(i) !== 61) continue;
    i++;
    while (i < n && isSpace(html.charCodeAt(i))) i++;
    const quote = html.charCodeAt(i);
    if (quote === 34 || quote === 39) {
      const shut = html.indexOf(quote === 34 ? '"' : "'", i + 1);
      if (shut < 0) return -1;
      i = shut + 1;
    } else {
      while (i < n && !(isSpace((c = html.charCodeAt(i))) || c === 62)) i++;
    }
  }
  return -1;
}
