// The handle a test gets from sendCommand/dispatchAutocomplete: waits for the bot's answer.
import type { CallbackRecord, Choice, InteractionState, RejectedRequest, WaitOptions } from './interactions.ts';
import type { FakeMessage } from './messages.ts';

/** What a test holds after sendCommand: the interaction's outcome as Discord saw it. */
export class InteractionHandle {
  constructor(private readonly s: InteractionState, private readonly windowMs: number, private readonly defaultTimeoutMs: number) {}

  get id(): string { return this.s.id; }
  get token(): string { return this.s.token; }
  /** The INTERACTION_CREATE payload as dispatched. */
  get payload(): Record<string, unknown> { return this.s.payload; }
  get callback(): CallbackRecord | undefined { return this.s.callback; }
  get deferred(): boolean { return this.s.callback?.type === 5; }
  /** Current state of the original response (@original), after edits. */
  get original(): FakeMessage | undefined { return this.s.original; }
  get edits(): Record<string, unknown>[] { return [...this.s.edits]; }
  get followUps(): FakeMessage[] { return [...this.s.followUps]; }
  get deleted(): boolean { return this.s.deleted; }
  /** Requests about this interaction that the fake refused (invalid bodies, double acks, late acks). */
  get rejected(): RejectedRequest[] { return [...this.s.rejected]; }

  /** Resolves with the accepted callback; rejects when the 3-second window passes without one. */
  acknowledged(options: WaitOptions = {}): Promise<CallbackRecord> {
    return this.waitFor('a callback', () => this.s.callback, options);
  }

  /**
   * The first reply a user would see: the type 4 callback's message, or — after a type 5 defer —
   * the message once the bot edits @original (or sends its first follow-up, which fills it).
   */
  reply(options: WaitOptions = {}): Promise<FakeMessage> {
    return this.waitFor('a visible reply', () => {
      const type = this.s.callback?.type;
      if (type === 4 || (type === 5 && (this.s.edits.length > 0 || this.s.followUps.length > 0))) return this.s.original;
      if (type !== undefined && type !== 4 && type !== 5) throw new Error(`interaction was answered with callback type ${type}, not a message`);
      return undefined;
    }, options);
  }

  /**
   * For button presses: the message the button is on, once the bot updated it — a type 7 callback
   * (interaction.update()), or a type 6 (deferUpdate()) followed by an edit of @original (editReply()).
   */
  messageUpdate(options: WaitOptions = {}): Promise<FakeMessage> {
    return this.waitFor('an update of the message', () => {
      const type = this.s.callback?.type;
      if (type === 7 || (type === 6 && this.s.edits.length > 0)) return this.s.original;
      if (type !== undefined && type !== 6 && type !== 7) throw new Error(`interaction was answered with callback type ${type}, not an update of the message`);
      return undefined;
    }, options);
  }

  /** Resolves once `count` follow-up messages were accepted. */
  waitForFollowUps(count = 1, options: WaitOptions = {}): Promise<FakeMessage[]> {
    return this.waitFor(`${count} follow-up(s)`, () => (this.s.followUps.length >= count ? this.followUps : undefined), options);
  }

  /** For autocomplete interactions: the choices of the type 8 callback. */
  choices(options: WaitOptions = {}): Promise<Choice[]> {
    return this.waitFor('autocomplete choices', () => {
      const cb = this.s.callback;
      if (cb && cb.type !== 8) throw new Error(`autocomplete was answered with callback type ${cb.type}`);
      return cb ? ((cb.data?.choices as Choice[] | undefined) ?? []) : undefined;
    }, options);
  }

  private describe(): string {
    const s = this.s;
    const parts = [`${s.kind === 'component' ? 'button ' : '/'}${s.name} (${s.id})`, `callback: ${s.callback ? `type ${s.callback.type}` : 'none'}`,
      `edits: ${s.edits.length}`, `follow-ups: ${s.followUps.length}`];
    for (const r of s.rejected) parts.push(`rejected ${r.method} ${r.path} → ${r.status} ${r.code} ${r.message} ${r.reasons.join('; ')}`);
    return parts.join(', ');
  }

  private waitFor<T>(what: string, pick: () => T | undefined, options: WaitOptions): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const done = (fn: () => void) => { clearTimeout(timer); this.s.off(check); fn(); };
      const check = () => {
        try {
          const value = pick();
          if (value !== undefined) return done(() => resolve(value));
        } catch (error) {
          return done(() => reject(new Error(`${(error as Error).message} — ${this.describe()}`)));
        }
        if (this.s.expired && !this.s.callback) {
          done(() => reject(new Error(`not acknowledged within ${this.windowMs} ms (users see "The application did not respond") — ${this.describe()}`)));
        }
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} — ${this.describe()}`))), timeoutMs);
      this.s.on(check);
      check();
    });
  }
}
