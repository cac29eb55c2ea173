// Interactions the fake dispatched, what the bot answered, and handles tests await on.
import type { FakeMessage } from './messages.ts';

export interface CallbackRecord { type: number; data?: Record<string, unknown>; at: number }
export interface Choice { name: string; value: string | number; name_localizations?: Record<string, string> | null }

export interface RejectedRequest {
  method: string;
  path: string;
  status: number;
  /** Discord's JSON error code (50035 Invalid Form Body, 40060, 10062, …). */
  code: number;
  message: string;
  /** Readable reasons, e.g. "/embeds/0/title must NOT have more than 256 characters". */
  reasons: string[];
  body: unknown;
  at: number;
}

export interface WaitOptions { timeoutMs?: number }
export type InteractionKind = 'command' | 'autocomplete' | 'component';

export class InteractionState {
  callback?: CallbackRecord;
  original?: FakeMessage;
  readonly edits: Record<string, unknown>[] = [];
  readonly followUps: FakeMessage[] = [];
  deleted = false;
  /** Discord's 3-second window passed without an accepted callback. */
  expired = false;
  readonly rejected: RejectedRequest[] = [];
  /** For component interactions: the message the pressed component is on (what types 6/7 and @original edit). */
  componentMessage?: FakeMessage;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly id: string,
    readonly token: string,
    readonly kind: InteractionKind,
    readonly name: string,
    readonly payload: Record<string, unknown>,
    readonly channelId: string,
    readonly guildId: string | undefined,
    readonly dispatchedAt = Date.now(),
  ) {}

  on(fn: () => void): void { this.listeners.add(fn); }
  off(fn: () => void): void { this.listeners.delete(fn); }
  /** Deferred so the HTTP response is written before a waiting test resumes. */
  notify(): void { setImmediate(() => { for (const fn of [...this.listeners]) fn(); }); }
}

/** Registry by id and token; enforces the 3-second acknowledgement window and 15-minute token life. */
export class Interactions {
  private readonly byId = new Map<string, InteractionState>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly windowMs: number, readonly tokenTtlMs = 15 * 60_000) {}

  add(state: InteractionState): InteractionState {
    this.byId.set(state.id, state);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!state.callback) {
        state.expired = true;
        state.notify();
      }
    }, this.windowMs);
    this.timers.add(timer);
    return state;
  }

  /** The interaction with this id and token, if the fake dispatched it. */
  find(id: string, token: string): InteractionState | undefined {
    const s = this.byId.get(id);
    return s && s.token === token ? s : undefined;
  }

  withinWindow(s: InteractionState): boolean {
    return Date.now() - s.dispatchedAt <= this.windowMs;
  }

  /** The acknowledged interaction a webhook token belongs to, while the token lives. */
  forWebhook(token: string): InteractionState | undefined {
    for (const s of this.byId.values()) {
      if (s.token === token) return s.callback && Date.now() - s.dispatchedAt <= this.tokenTtlMs ? s : undefined;
    }
    return undefined;
  }

  all(): InteractionState[] {
    return [...this.byId.values()];
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
