/**
 * Turns a feed body into text by the charset it declares. Feeds lie about their
 * charset often enough that every declared label is only a hint: it is used when
 * the bytes actually decode in it, and otherwise the next hint is tried.
 */
import { TextDecoder } from 'node:util';

/**
 * A document as its server sent it. It is decoded where it is parsed, so a fetched body can
 * move to a parse worker without a copy and the main thread never holds it as a string.
 */
export interface FeedBody {
  bytes: Uint8Array;
  /** The Content-Type header, whose charset is one of the hints. */
  contentType: string | null;
}

/** A document as text (a test, a file already read) or as the bytes a server sent. */
export type FeedDocument = string | FeedBody;

export function documentText(document: FeedDocument): string {
  return typeof document === 'string' ? document : decodeFeedBytes(document.bytes, document.contentType);
}

/**
 * The document as text in pieces of about PIECE_BYTES each. V8 keeps a string in one byte per
 * character only when every character fits; one curly quote makes a whole document two bytes
 * per character, and everything parsed out of it with it. Decoded in pieces, only the pieces
 * holding such a character double: a 4 MB feed's parse needs ~8 MB less.
 */
export function documentPieces(document: FeedDocument): string[] {
  return typeof document === 'string' ? [document] : decodeFeedPieces(document.bytes, document.contentType);
}

/**
 * Frees a document's bytes now, for a holder that will not read them again (a copy posted to
 * the parse worker; the worker's own copy once decoded). Bytes that waited their turn were
 * promoted to the old generation, where only a full collection frees an ArrayBuffer, and V8
 * counts their memory against the old generation's limit: in a cold poll of film news they set
 * off a quarter of the main thread's mark-compacts. Moving the buffer out detaches it, and its
 * memory goes with the next scavenge. The document's bytes read as empty afterwards; bytes that
 * share their buffer are left as they are.
 */
export function freeBytes(document: FeedDocument): void {
  if (typeof document === 'string' || document.bytes.byteLength === 0 || !ownsBuffer(document.bytes)) return;
  structuredClone(document.bytes.buffer, { transfer: [document.bytes.buffer as ArrayBuffer] });
}

/**
 * Whether the bytes are their whole ArrayBuffer, so detaching it (a transfer) takes nothing from
 * anyone else: a view into Node's Buffer pool, or into part of a larger buffer, shares it.
 */
export function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
}

const PIECE_BYTES = 16 * 1024;

/** Its size in memory before parsing: characters or bytes. */
export function documentSize(document: FeedDocument): number {
  return typeof document === 'string' ? document.length : document.bytes.byteLength;
}

const BOMS: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0xef, 0xbb, 0xbf], 'utf-8'],
  [[0xff, 0xfe], 'utf-16le'],
  [[0xfe, 0xff], 'utf-16be'],
];

/** The XML declaration must come first, so a small ASCII window is enough to find it. */
const DECLARATION_WINDOW = 1024;
const XML_DECLARATION = /<\?xml\s[^>]*?\bencoding\s*=\s*(["'])\s*([^"'\s]+)\s*\1/i;
const CHARSET_PARAM = /;\s*charset\s*=\s*(["']?)([^"';\s]+)\1/i;

export function decodeFeedBytes(bytes: Uint8Array, contentType?: string | null): string {
  return decodeFeedPieces(bytes, contentType).join('');
}

export function decodeFeedPieces(bytes: Uint8Array, contentType?: string | null): string[] {
  for (const [signature, encoding] of BOMS) {
    if (signature.every((byte, i) => bytes[i] === byte)) {
      return decodePieces(new TextDecoder(encoding), bytes.subarray(signature.length));
    }
  }
  const hints = [declaredEncoding(bytes), headerCharset(contentType), 'utf-8'];
  for (const label of hints) {
    const pieces = tryDecode(bytes, label);
    if (pieces !== undefined) return pieces;
  }
  // windows-1252 maps every byte, so this is the decode that cannot fail.
  return decodePieces(new TextDecoder('windows-1252'), bytes).map(fixWindows1252);
}

/** Streaming decode: a character split between two pieces of bytes comes out whole in one. */
function decodePieces(decoder: TextDecoder, bytes: Uint8Array): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < bytes.byteLength; at += PIECE_BYTES) {
    const piece = decoder.decode(bytes.subarray(at, at + PIECE_BYTES), { stream: true });
    if (piece) pieces.push(piece);
  }
  const rest = decoder.decode();
  if (rest) pieces.push(rest);
  return pieces.length > 0 ? pieces : [''];
}

/**
 * Node 20's TextDecoder decodes windows-1252 (and its aliases iso-8859-1, latin1, ascii) as
 * ISO-8859-1: bytes 0x80-0x9F come out as C1 controls instead of € ‚ “ ” — …, the very
 * characters a "Latin-1" feed written on Windows uses. Mapping them afterwards is a no-op
 * on a Node that decodes correctly.
 */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function fixWindows1252(text: string): string {
  return text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, DECLARATION_WINDOW));
  return XML_DECLARATION.exec(head.toString('latin1'))?.[2];
}

function headerCharset(contentType: string | null | undefined): string | undefined {
  return contentType ? CHARSET_PARAM.exec(contentType)?.[2] : undefined;
}

function tryDecode(bytes: Uint8Array, label: string | undefined): string[] | undefined {
  if (!label) return undefined;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label.trim(), { fatal: true });
  } catch {
    return undefined; // a label TextDecoder does not know is just a useless hint
  }
  // A BOM-less document whose declaration we could read as ASCII is not UTF-16,
  // whatever it claims (a common leftover from transcoding); decoding it as such
  // would "succeed" and produce garbage.
  if (decoder.encoding.startsWith('utf-16') && bytes[0] !== 0 && bytes[1] !== 0) return undefined;
  try {
    const pieces = decodePieces(decoder, bytes);
    pieces[0] = stripBom(pieces[0]!);
    return decoder.encoding === 'windows-1252' ? pieces.map(fixWindows1252) : pieces;
  } catch {
    return undefined;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
