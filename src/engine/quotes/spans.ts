/**
 * Quotation spans in plain text, outermost only: a quotation quoted inside another belongs to the
 * outer one (its marks stay in the text). Every language's marks: “…” "…" „…“ «…» »…« ‚…‘ ‘…’ 「…」 『…』.
 */
export interface Span {
  /** Index of the opening mark. */
  open: number;
  /** Index of the closing mark. */
  close: number;
  /** What stands between the marks, whitespace folded. */
  text: string;
}

const CLOSERS: Record<string, string> = {
  '“': '”',
  '„': '“”',
  '«': '»',
  '»': '«',
  '"': '"',
  '‘': '’',
  '‚': '‘’',
  '「': '」',
  '『': '』',
  '＂': '＂',
};

/** A quotation longer than this is a stray mark, not a quotation. */
const MAX_SPAN = 2000;

const isLetter = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined) => ch === undefined || /\s/.test(ch);

/** Marks that double as apostrophes or inch signs open only after a space or punctuation, before a word. */
function canOpen(text: string, at: number): boolean {
  const mark = text[at]!;
  if (mark !== '"' && mark !== '‘' && mark !== '＂') return true;
  const before = text[at - 1];
  return (before === undefined || !isLetter(before)) && !isSpace(text[at + 1]);
}

function canClose(text: string, at: number, opener: string): boolean {
  if (opener !== '"' && opener !== '‘' && opener !== '＂') return true;
  // "don’t" and "5"" are not the end of a quotation.
  return !isSpace(text[at - 1]) && !isLetter(text[at + 1]);
}

function closeOf(text: string, open: number): number {
  const opener = text[open]!;
  const closers = CLOSERS[opener]!;
  const nests = !closers.includes(opener);
  let depth = 0;
  const end = Math.min(text.length, open + MAX_SPAN);
  for (let i = open + 1; i < end; i++) {
    const ch = text[i]!;
    if (nests && ch === opener && canOpen(text, i)) depth++;
    else if (closers.includes(ch) && canClose(text, i, opener)) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

export function findSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!(text[i]! in CLOSERS) || !canOpen(text, i)) continue;
    const close = closeOf(text, i);
    if (close < 0) continue;
    const inner = text.slice(i + 1, close).replace(/\s+/g, ' ').trim();
    if (inner) spans.push({ open: i, close, text: inner });
    i = close;
  }
  return spans;
}
