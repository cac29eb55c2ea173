import { decodeHTML } from 'entities';
import { MalformedFeedError } from './errors.ts';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
// Declared entities may only be short literals: no nesting (billion laughs) and no
// SYSTEM/PUBLIC (external entities read files or URLs).
const MAX_ENTITY_VALUE = 1024;
const MAX_EXPANSION = 1024 * 1024;
/**
 * An ampersand fixEntities would rewrite (it may be inside CDATA, where it is left alone: then the
 * slow path just finds nothing to do). Global: needsFixing searches from an index.
 */
const NEEDS_FIXING = /&(?!(?:#\d+|#x[\da-fA-F]+|amp|lt|gt|quot|apos);)/g;

interface Doctype {
  entities: Map<string, string>;
  rest: string;
}

/** Finds the DOCTYPE (with its internal subset) and returns the document without it. */
function takeDoctype(xml: string): Doctype {
  const entities = new Map<string, string>();
  // Only the prolog may hold a DOCTYPE; '<!DOCTYPE' later on is content (inside CDATA, say).
  const prolog = /^(?:\uFEFF)?(?:\s+|<\?[\s\S]*?\?>|<!--[\s\S]*?-->)*/.exec(xml)?.[0] ?? '';
  if (!/^<!DOCTYPE/i.test(xml.slice(prolog.length))) return { entities, rest: xml };
  const start = prolog.length;
  let end = xml.indexOf('>', start);
  const bracket = xml.indexOf('[', start);
  if (bracket >= 0 && (end < 0 || bracket < end)) {
    const close = xml.indexOf(']', bracket);
    end = close < 0 ? -1 : xml.indexOf('>', close);
  }
  if (end < 0) throw new MalformedFeedError('unterminated DOCTYPE');
  const subset = xml.slice(start, end + 1);
  for (const match of subset.matchAll(/<!ENTITY\s+(%\s+)?([\w.:-]+)\s+([^>]*)>/g)) {
    const [, parameter, name = '', body = ''] = match;
    // Parameter entities only shape the DTD, which is never read; ignoring them is safe.
    if (parameter) continue;
    if (/^(SYSTEM|PUBLIC)\b/i.test(body.trim())) {
      throw new MalformedFeedError(`external entity "${name}" is not allowed`);
    }
    const literal = /^\s*(["'])([\s\S]*)\1\s*$/.exec(body);
    const value = literal?.[2] ?? '';
    if (/[&%<]/.test(value)) throw new MalformedFeedError(`entity "${name}" refers to other entities or markup, which is not allowed`);
    if (value.length > MAX_ENTITY_VALUE) throw new MalformedFeedError(`entity "${name}" is too long`);
    entities.set(name, value);
  }
  return { entities, rest: xml.slice(0, start) + xml.slice(end + 1) };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Rewrites entity references in markup (outside CDATA and comments) so a strict XML parser accepts them. */
function fixEntities(markup: string, declared: Map<string, string>, budget: { left: number }): string {
  return markup.replace(/&(#\d+;|#x[\da-fA-F]+;|([A-Za-z][\w.-]*);)?/g, (whole, ref: string | undefined, name: string | undefined) => {
    if (!ref) return '&amp;';
    if (!name || XML_ENTITIES.has(name)) return whole;
    const value = declared.get(name);
    if (value !== undefined) {
      budget.left -= value.length;
      if (budget.left < 0) throw new MalformedFeedError('entity expansion too large');
      return escapeXml(value);
    }
    // HTML named entities (&nbsp;, &eacute;) are common in feeds but undeclared in XML.
    const decoded = decodeHTML(whole);
    if (decoded !== whole) return `&#${decoded.codePointAt(0)};`;
    return `&amp;${name};`;
  });
}

/**
 * True when prepareXml leaves this text, and any text made of it and other such pieces, as it
 * is: no DOCTYPE (in any case) and no ampersand to fix. A piece boundary can only make it say false.
 */
export function needsNoPreparing(text: string): boolean {
  if (needsFixing(text)) return false;
  // A regex looking for both tried a match at every '<' of every document; '<!' is rare.
  for (let at = text.indexOf('<!'); at >= 0; at = text.indexOf('<!', at + 2)) {
    DOCTYPE_AT.lastIndex = at;
    if (DOCTYPE_AT.test(text)) return false;
  }
  return true;
}

const DOCTYPE_AT = /<!doctype/iy;

/**
 * Whether an ampersand needs fixing, each one looked at where indexOf finds it; past the first 32
 * (HTML escaped in a feed's descriptions: &lt;p&gt; and so on), the regex takes over from there,
 * as it reads a text dense with them faster than one look at a time.
 */
function needsFixing(text: string): boolean {
  let seen = 0;
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) {
    if (++seen > 32) {
      NEEDS_FIXING.lastIndex = at;
      return NEEDS_FIXING.test(text);
    }
    if (!referenceAt(text, at + 1)) return true;
  }
  return false;
}

/** Whether text[at…] is what an ampersand may stand before as it is (NEEDS_FIXING's lookahead): #digits; #xhex; amp; lt; gt; quot; apos; */
function referenceAt(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 0x23) return text.startsWith('amp;', at) || text.startsWith('lt;', at) || text.startsWith('gt;', at) || text.startsWith('quot;', at) || text.startsWith('apos;', at);
  let i = at + 1;
  const hex = text.charCodeAt(i) === 0x78;
  if (hex) i++;
  const first = i;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (hex && ((c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46))))) break;
  }
  return i > first && text.charCodeAt(i) === 0x3b;
}

/**
 * Makes a feed document safe and tolerable for a strict XML parser: the DOCTYPE is removed
 * (nothing in it is ever fetched), simple internal entities are expanded once, HTML entities
 * become character references and stray ampersands are escaped.
 */
export function prepareXml(xml: string): string {
  const { entities, rest } = takeDoctype(xml);
  // Most documents need no change; returning them as they are spares a copy of a big feed.
  if (rest === xml && !needsFixing(xml)) return xml;
  const budget = { left: MAX_EXPANSION };
  const parts = rest.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/);
  return parts.map((part, i) => (i % 2 === 1 ? part : fixEntities(part, entities, budget))).join('');
}
