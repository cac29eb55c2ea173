/**
 * Remembers a function's answers for short string keys, and starts over when full: the words and
 * letter runs of news text repeat endlessly, so a few thousand keys hold nearly every lookup.
 * Long keys are never kept: V8 may store one as a slice of the text it was cut from, which the
 * memo would then keep alive.
 */
export class ShortMemo<V> {
  private readonly answers = new Map<string, V>();

  constructor(
    private readonly compute: (key: string) => V,
    private readonly maxKeys: number,
    private readonly maxKeyLength = 12,
  ) {}

  get(key: string): V {
    // One call of compute for a miss and a long key alike: a long key comes rarely, and a call
    // of its own, never made before V8 optimised the walks this is inlined in, made V8 drop
    // their optimised code (five functions) at the first long word.
    const short = key.length <= this.maxKeyLength;
    let value = short ? this.answers.get(key) : undefined;
    if (value === undefined) {
      value = this.compute(key);
      if (short) {
        if (this.answers.size >= this.maxKeys) this.answers.clear();
        this.answers.set(key, value);
      }
    }
    return value;
  }
}
