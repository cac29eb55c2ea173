/** Cuts text every `size` characters, never inside a surrogate pair (a decoder never does). */
export function cutText(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + size);
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end++;
    pieces.push(text.slice(at, end));
    at = end;
  }
  return pieces;
}
