/**
 * Pieces of text where folding has quirks (camelCase and letter/digit splits, marks, invisible
 * characters, compatibility forms, kana voicing, Σ, İ, Hangul, surrogates): random texts built
 * from them hold the fast folds to their references (tokens-fast, topic-tokens).
 */
export const FOLD_ATOMS: string[] = [
  ...'aAbBzZlLiItT019 -_.,:;!?#@&/\'"()', 'Alita', 'ALITA', 'abc', '2019', 'aB', 'x2y', 'Σ2', 'submitted by /u/', '. ', ', ', ' — ', 'Dr. ', 'vs.  ', ' Prof.', '?! ', '... ',
  ...'éÉñÑüÜßøØæÆœŒİıǅſÅ', '\u0301', '\u0308', '\u0327', '\u0334', '\u093C', 'कि',
  ...'ＡａＺ１！', 'Ⅱ', 'ⅻ', '½', '¼', '²', 'ⁿ', '①', '⑴', 'ﬁ', 'ﬀ', '㍱', '℡', '…', 'K', 'Å',
  '\u200B', '\u200D', '\u200F', '\u2060', '\u2064', '\uFEFF', '\u00AD', '\u202A', '\u2066',
  '\n', '\n\n', '\t', '  ', '\u00A0', '\u2028', '\u3000', '\u0001', '\u0085', ' | ', ' – ', '[', ']', '（',
  ...'あがぱアガパー々ゝヽ', 'ｶ', 'ﾞ', 'ﾟ', 'ｱ', 'ﾊ', '\u3099', '\u309A', '゛', '゜', '㌀', '㋐', '。', '、', '（',
  ...'続編期待', '𠀀', '〇', '⺀', '⼀',
  ...'한국어', 'ᄒ', 'ᅡ', 'ᆫ', 'ㄱ', 'ㅏ', 'ﾡ',
  ...'ΣσςΑβЖжД', '𝐀', '𝐚', '𝚺', '😀', '\uD800', '\uDC00', 'ﷺ',
];
