/**
 * A quick reader for the plain XML most feeds are, in front of sax (which rss-parser's xml2js
 * reads with, character by character: the largest single cost of a poll). It makes the calls
 * sax makes to xml2js's handlers (open tag, text, CDATA, close tag) with the same data, so
 * xml2js builds the same object and rss-parser maps the same items; it scans with indexOf and
 * slices instead of a character loop.
 *
 * It reads only what it is sure sax reads without complaint, and refuses the rest (throws
 * QuickXmlRefused, before or after its first call): a DOCTYPE, an entity other than XML's five
 * and character references, a name outside ASCII, an unquoted or repeated attribute, a tag that
 * does not match, text outside the root, a document that does not end. The caller then reads the
 * document again with sax from the start (parse.ts), so a refusal changes nothing but the time.
 * test/quick-xml.test.ts holds it to sax on every corpus file, in pieces too.
 */

/** The handlers xml2js sets on its sax parser, as sax calls them. */
export interface SaxHandlers {
  onopentag(tag: { name: string; attributes: Record<string, string>; isSelfClosing: boolean }): void;
  onclosetag(name: string): void;
  ontext(text: string): void;
  oncdata(text: string): void;
}

export class QuickXmlRefused extends Error {
  constructor(why: string) {
    super(`quick XML reader refused: ${why}`);
    this.name = 'QuickXmlRefused';
  }
}

// Names and whitespace are scanned by character code: a sticky regex's exec made a match array
// for every tag and every gap between attributes, a seventh of the parse worker's garbage.

/** Where a name as sax takes it starts at `from` ends, or `from` when none does; ASCII only (sax also takes many other letters: those are refused). */
function nameEnd(s: string, from: number): number {
  let at = from;
  for (;;) {
    const c = s.charCodeAt(at);
    // [:_A-Za-z], then also [0-9.-]
    const first = c === 58 || c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!first && (at === from || !((c >= 48 && c <= 57) || c === 46 || c === 45))) return at;
    at++;
  }
}

/** Past whitespace as sax knows it ([ \n\r\t]) from `at`. */
function skipSpace(s: string, at: number): number {
  for (;;) {
    const c = s.charCodeAt(at);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return at;
    at++;
  }
}
const ALL_SPACE = /^[ \n\r\t]*$/;
const ENTITY = /^(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+)$/;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/**
 * The most carried from one piece to the next (a tag, a comment, a reference not yet ended):
 * each piece is searched from the start of what is carried, so a longer one is left to sax.
 */
const MAX_CARRY = 64 * 1024;

/** A character reference's character, exactly when sax's parseEntity takes it without complaint. */
function character(entity: string): string | undefined {
  const hex = entity[1] === 'x';
  const digits = entity.slice(hex ? 2 : 1).toLowerCase();
  const num = parseInt(digits, hex ? 16 : 10);
  const ok =
    !Number.isNaN(num) &&
    num.toString(hex ? 16 : 10) === digits.replace(/^0+/, '') &&
    (num === 0x9 || num === 0xa || num === 0xd || (num >= 0x20 && num <= 0xd7ff) || (num >= 0xe000 && num <= 0xfffd) || (num >= 0x10000 && num <= 0x10ffff));
  return ok ? String.fromCodePoint(num) : undefined;
}

/** Text with its entities decoded, as sax decodes them; a bad one refuses. */
function decode(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  let from = 0;
  for (let amp = text.indexOf('&'); amp >= 0; amp = text.indexOf('&', from)) {
    const semi = text.indexOf(';', amp + 1);
    const entity = semi < 0 ? '' : text.slice(amp + 1, semi);
    if (!ENTITY.test(entity)) throw new QuickXmlRefused(`entity &${entity.slice(0, 20)}`);
    const value = entity[0] === '#' ? character(entity) : NAMED[entity];
    if (value === undefined) throw new QuickXmlRefused(`character reference &${entity}`);
    out += text.slice(from, amp) + value;
    from = semi + 1;
  }
  return out + text.slice(from);
}

/** Reads a document piece by piece (a tag or a reference cut between pieces is carried over). */
export class QuickXml {
  private carry = '';
  private readonly open: string[] = [];
  private sawRoot = false;
  private closedRoot = false;
  private inCdata = false;

  constructor(private readonly sax: SaxHandlers) {}

  write(piece: string): void {
    if (this.carry.length > MAX_CARRY) throw new QuickXmlRefused('markup or a reference running over 64 KiB');
    if (!this.carry) return this.read(piece, 0);
    const from = this.finishCarry(piece);
    if (from >= 0) this.read(piece, from);
  }

  /**
   * Ends the construct the last piece stopped inside (its start is the carry) with the start of
   * `piece`, and says where in `piece` reading goes on (-1: the piece only made the carry longer).
   * The carry is joined to no more of the piece than that construct needs: joined to the whole
   * piece, the string was flattened by the first search in it, a copy of nearly every piece of a
   * document, which outlived young-generation collections (slices of it are the items' texts) and
   * was a third of the bytes the parse worker promoted to the old generation.
   */
  private finishCarry(piece: string): number {
    const carry = this.carry;
    // A short piece (a document's last) is joined whole, as is any case below that is not the common one.
    const whole = (): number => {
      this.carry = '';
      this.read(carry + piece, 0);
      return -1;
    };
    if (piece.length < 16) return whole();
    if (this.inCdata) {
      // The carry is CDATA's last characters, which could begin "]]>": two more of the piece settle it.
      const head = carry + piece.slice(0, 2);
      const close = head.indexOf(']]>');
      this.carry = '';
      if (close < 0) {
        this.sax.oncdata(carry);
        return 0;
      }
      if (close > 0) this.sax.oncdata(head.slice(0, close));
      this.inCdata = false;
      return close + 3 - carry.length;
    }
    if (carry[0] === '&') {
      // A reference cut in two: the text up to its ";" is read now, the rest as the piece's own.
      const semi = piece.indexOf(';');
      const lt = piece.indexOf('<');
      if (semi < 0 || (lt >= 0 && lt < semi)) return whole();
      this.carry = '';
      this.text(carry + piece.slice(0, semi + 1));
      return semi + 1;
    }
    // Markup: a tag, a comment, a CDATA section's opening or a processing instruction, read from
    // a head of the piece that grows until it holds the end (markup reads nothing until then).
    for (let n = Math.min(piece.length, 256); ; n = Math.min(piece.length, n * 4)) {
      const head = carry + piece.slice(0, n);
      const next = this.markup(head, 0);
      if (next >= 0) {
        this.carry = '';
        return next - carry.length;
      }
      if (n === piece.length) return whole();
    }
  }

  /** Reads `s` from `i` on; what its end cuts short waits in the carry for the next piece. */
  private read(s: string, i: number): void {
    const end = s.length;
    while (i < end) {
      if (this.inCdata) {
        const close = s.indexOf(']]>', i);
        // Without its end in this piece: all but what could begin "]]>" now, the rest later.
        const upTo = close >= 0 ? close : Math.max(i, end - 2);
        // sax says nothing for an empty CDATA section, and xml2js marks an element by what it says.
        if (upTo > i) this.sax.oncdata(s.slice(i, upTo));
        if (close < 0) {
          this.carry = s.slice(upTo);
          return;
        }
        this.inCdata = false;
        i = close + 3;
        continue;
      }
      const lt = s.indexOf('<', i);
      const textEnd = lt < 0 ? end : lt;
      if (textEnd > i) {
        // A reference cut by the end of the piece waits for the rest of it.
        const amp = lt < 0 ? s.lastIndexOf('&', end - 1) : -1;
        const cut = amp >= i && !s.includes(';', amp) ? amp : textEnd;
        this.text(s.slice(i, cut));
        if (cut < textEnd) {
          this.carry = s.slice(cut);
          return;
        }
      }
      if (lt < 0) return;
      const next = this.markup(s, lt);
      if (next < 0) {
        this.carry = s.slice(lt);
        return;
      }
      i = next;
    }
  }

  /** Throws unless the document ended as a whole one: its root closed, nothing left open. */
  end(): void {
    if (this.inCdata || this.carry || !this.closedRoot) throw new QuickXmlRefused('the document does not end');
  }

  private text(text: string): void {
    if (!this.sawRoot || this.closedRoot) {
      if (!ALL_SPACE.test(text)) throw new QuickXmlRefused('text outside the root');
      return;
    }
    this.sax.ontext(decode(text));
  }

  /** Reads the markup at `lt`: where the text goes on, or -1 when the piece ends inside it. */
  private markup(s: string, lt: number): number {
    // Checked first: reading past the end of a string made V8 drop this function's optimised code.
    if (lt + 1 >= s.length) return -1;
    const c = s[lt + 1];
    if (c === '!') {
      if (s.startsWith('<!--', lt)) {
        const close = s.indexOf('-->', lt + 4);
        if (close < 0) return -1;
        const body = s.slice(lt + 4, close);
        // sax refuses "--" inside a comment, and a comment ending "--->".
        if (body.includes('--') || body.endsWith('-')) throw new QuickXmlRefused('malformed comment');
        return close + 3;
      }
      if (s.length - lt < 9) return -1;
      if (s.startsWith('<![CDATA[', lt) && this.sawRoot && !this.closedRoot) {
        this.inCdata = true;
        return lt + 9;
      }
      throw new QuickXmlRefused(`markup ${s.slice(lt, lt + 9)}`);
    }
    if (c === '?') {
      if (this.sawRoot) throw new QuickXmlRefused('processing instruction inside or after the root');
      const close = s.indexOf('?>', lt + 2);
      return close < 0 ? -1 : close + 2;
    }
    const gt = s.indexOf('>', lt + 1);
    if (gt < 0) return -1;
    if (c === '/') this.closeTag(s, lt + 2, gt);
    else this.openTag(s, lt + 1, gt);
    return gt + 1;
  }

  private closeTag(s: string, from: number, gt: number): void {
    const end = nameEnd(s, from);
    const name = s.slice(from, end);
    if (!name || skipSpace(s, end) !== gt) throw new QuickXmlRefused('a closing tag');
    if (this.open.at(-1) !== name) throw new QuickXmlRefused(`</${name}> closes <${this.open.at(-1) ?? 'nothing'}>`);
    this.close();
  }

  private close(): void {
    const name = this.open.pop()!;
    this.sax.onclosetag(name);
    if (this.open.length === 0) this.closedRoot = true;
  }

  private openTag(s: string, from: number, gt: number): void {
    if (this.closedRoot) throw new QuickXmlRefused('a second root');
    const name = s.slice(from, nameEnd(s, from));
    if (!name) throw new QuickXmlRefused('a tag name');
    const selfClosing = s[gt - 1] === '/';
    const attrsEnd = selfClosing ? gt - 1 : gt;
    const attributes: Record<string, string> = {};
    let at = from + name.length;
    while (at < attrsEnd) {
      const spaceEnd = skipSpace(s, at);
      const spaced = spaceEnd > at;
      at = spaceEnd;
      if (at >= attrsEnd) break;
      // sax wants whitespace before each attribute (and after the name).
      if (!spaced) throw new QuickXmlRefused('no whitespace before an attribute');
      const attributeEnd = nameEnd(s, at);
      const attribute = s.slice(at, attributeEnd);
      if (!attribute) throw new QuickXmlRefused('an attribute name');
      const equals = skipSpace(s, attributeEnd);
      if (s[equals] !== '=') throw new QuickXmlRefused('an attribute without value');
      const open = skipSpace(s, equals + 1);
      const quote = s[open];
      if (quote !== '"' && quote !== "'") throw new QuickXmlRefused('an unquoted attribute');
      const close = s.indexOf(quote, open + 1);
      // A quote past the tag's end means a ">" inside the value: sax reads on, this does not.
      if (close < 0 || close >= attrsEnd) throw new QuickXmlRefused('an attribute value with ">"');
      if (Object.prototype.hasOwnProperty.call(attributes, attribute) || attribute === '__proto__') throw new QuickXmlRefused('a repeated attribute');
      attributes[attribute] = decode(s.slice(open + 1, close));
      at = close + 1;
    }
    this.sawRoot = true;
    this.open.push(name);
    this.sax.onopentag({ name, attributes, isSelfClosing: selfClosing });
    if (selfClosing) this.close();
  }
}
