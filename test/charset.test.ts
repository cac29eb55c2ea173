import { describe, it, expect } from 'vitest';
import { decodeFeedBytes } from '../src/engine/charset.ts';
import { seededRandom } from './support/random.ts';

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));
// "阿丽塔战斗天使" (Alita: Battle Angel) in GB2312; Node has no GB encoder to produce it.
const GB2312_ALITA = new Uint8Array(Buffer.from('B0A2C0F6CBFED5BDB6B7CCECCAB9', 'hex'));

describe('decodeFeedBytes', () => {
  it('decodes plain UTF-8', () => {
    expect(decodeFeedBytes(utf8('<rss>Rodríguez — 阿丽塔</rss>'))).toBe('<rss>Rodríguez — 阿丽塔</rss>');
  });

  it('reads UTF-8 exactly as the fatal TextDecoder does, in pieces split inside characters, and refuses what it refuses', () => {
    const random = seededRandom(16);
    const alphabet = ['a', ' ', '<', 'é', 'ß', '—', '’', '阿', 'ア', '😀', '\u0000', '\ufeff'];
    const reference = (bytes: Uint8Array) => {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        return undefined;
      }
    };
    let refused = 0;
    for (let n = 0; n < 300; n++) {
      // Long enough to cross the 16 KiB pieces at every offset a character can be cut at.
      // (Starting with a letter: a leading BOM is the BOM's case, above.)
      const text = `a${Array.from({ length: 4000 + Math.floor(random() * 9000) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('')}`;
      const bytes = utf8(text);
      // Some documents get a broken byte: a stray continuation, a cut sequence, a surrogate, an overlong form.
      if (n % 3 === 0) {
        const at = Math.floor(random() * bytes.length);
        const broken = [[0x80], [0xe3, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf]][n % 4]!;
        bytes.set(broken.slice(0, bytes.length - at), at);
      }
      const expected = reference(bytes);
      const got = decodeFeedBytes(bytes, 'application/rss+xml; charset=utf-8');
      if (expected === undefined) {
        refused++;
        // Not UTF-8 after all: the next hint that fits, windows-1252, which maps every byte.
        expect(got).toBe(decodeFeedBytes(bytes, 'application/rss+xml; charset=windows-1252'));
      } else expect(got).toBe(expected);
    }
    expect(refused).toBeGreaterThan(50);
  });

  it('returns an empty string for no bytes', () => {
    expect(decodeFeedBytes(new Uint8Array(0), 'text/xml; charset=utf-8')).toBe('');
  });

  it('uses the Content-Type charset for a Latin-1 body', () => {
    const bytes = latin1('<rss><title>Rodríguez</title></rss>');
    expect(decodeFeedBytes(bytes, 'application/rss+xml; charset=ISO-8859-1')).toContain('Rodríguez');
    expect(decodeFeedBytes(bytes, 'application/rss+xml; charset="iso-8859-1"')).toContain('Rodríguez');
  });

  it('uses the XML declaration when there is no header charset', () => {
    const bytes = latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss><title>Rodríguez</title></rss>');
    expect(decodeFeedBytes(bytes)).toContain('Rodríguez');
    expect(decodeFeedBytes(bytes, 'application/rss+xml')).toContain('Rodríguez');
  });

  it('prefers the XML declaration over a header that claims UTF-8', () => {
    const bytes = latin1("<?xml version='1.0' encoding='iso-8859-1'?><rss><title>Rodríguez</title></rss>");
    expect(decodeFeedBytes(bytes, 'text/xml; charset=utf-8')).toContain('Rodríguez');
  });

  it('skips a declared UTF-8 the bytes are not valid in, and uses the header', () => {
    const bytes = latin1('<?xml version="1.0" encoding="UTF-8"?><rss><title>Rodríguez</title></rss>');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1')).toContain('Rodríguez');
  });

  it('decodes GB2312 from the declaration or the header', () => {
    const declared = concat(utf8('<?xml version="1.0" encoding="gb2312"?><rss><title>'), GB2312_ALITA, utf8('</title></rss>'));
    expect(decodeFeedBytes(declared)).toContain('阿丽塔战斗天使');
    const bare = concat(utf8('<rss><title>'), GB2312_ALITA, utf8('</title></rss>'));
    expect(decodeFeedBytes(bare, 'application/rss+xml; charset=GB2312')).toContain('阿丽塔战斗天使');
  });

  it('ignores an unknown label and falls back to UTF-8', () => {
    const bytes = utf8('<?xml version="1.0" encoding="x-klingon"?><rss><title>Rodríguez</title></rss>');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=x-klingon')).toContain('Rodríguez');
  });

  it('falls back to windows-1252 when nothing declared fits', () => {
    const bytes = latin1('<rss><title>\x93Rodríguez\x94</title></rss>');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=x-klingon')).toContain('“Rodríguez”');
  });

  it('reads "ISO-8859-1" as windows-1252, as browsers do (smart quotes, euro)', () => {
    const bytes = latin1('<rss><title>\x93Rodr\xedguez\x94 \x80 5 \x96 \x85</title></rss>');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=iso-8859-1')).toContain('“Rodríguez” € 5 – …');
  });

  it('lets a BOM win over every declaration, and strips it', () => {
    const body = '<?xml version="1.0" encoding="iso-8859-1"?><rss>Rodríguez</rss>';
    const withBom = concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(body));
    expect(decodeFeedBytes(withBom, 'text/xml; charset=iso-8859-1')).toBe(body);
  });

  it('decodes UTF-16 LE and BE by their BOM', () => {
    const text = '<rss>Rodríguez 阿丽塔</rss>';
    const le = concat(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(text, 'utf16le')));
    const be = new Uint8Array(Buffer.from(text, 'utf16le')).map((_, i, all) => all[i ^ 1] ?? 0);
    expect(decodeFeedBytes(le)).toBe(text);
    expect(decodeFeedBytes(concat(new Uint8Array([0xfe, 0xff]), be))).toBe(text);
  });

  it('does not trust a UTF-16 declaration on a BOM-less ASCII-compatible body', () => {
    const body = '<?xml version="1.0" encoding="UTF-16"?><rss>Rodríguez</rss>';
    expect(decodeFeedBytes(utf8(body), 'text/xml; charset=utf-16')).toBe(body);
  });

  it('only looks for the declaration in the first kilobyte', () => {
    const bytes = latin1(`${' '.repeat(2000)}<?xml version="1.0" encoding="koi8-r"?><rss>Rodríguez</rss>`);
    expect(decodeFeedBytes(bytes)).toContain('Rodríguez'); // windows-1252, not koi8-r
  });
});
