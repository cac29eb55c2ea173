// Gateway sessions: READY/GUILD_CREATE on identify, sequence numbers, and replay on RESUME.
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { guildCreatePayload } from './state.ts';
import type { World } from './world.ts';

export const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;

export interface Session {
  id: string;
  seq: number;
  socket?: WebSocket;
  /** Every dispatch of this session, replayed after RESUME from the client's last seq. */
  sent: { op: 0; s: number; t: string; d: unknown }[];
}

export interface GatewayStats { connections: number; identifies: number; resumes: number; invalidSessions: number; lastIntents?: number }

export class Sessions {
  readonly stats: GatewayStats = { connections: 0, identifies: 0, resumes: 0, invalidSessions: 0 };
  private readonly sessions = new Map<string, Session>();
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly world: World, private readonly resumeUrl: () => string) {}

  identify(ws: WebSocket, intents: number): Session {
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, socket: ws, sent: [] };
    this.sessions.set(session.id, session);
    this.stats.identifies++;
    this.stats.lastIntents = intents;
    const w = this.world;
    this.send(session, 'READY', {
      v: 10, user: w.bot, session_id: session.id, session_type: 'normal', resume_gateway_url: this.resumeUrl(),
      shard: [0, 1], application: { id: w.applicationId, flags: w.applicationFlags },
      guilds: w.guilds.map((g) => ({ id: g.id, unavailable: true })),
      private_channels: [], relationships: [], presences: [], guild_join_requests: [], geo_ordered_rtc_regions: [],
      user_settings: {}, auth: {}, _trace: ['fake-gateway'],
    });
    for (const guild of w.guilds) this.send(session, 'GUILD_CREATE', guildCreatePayload(guild, w.bot.id));
    this.notifyReady();
    return session;
  }

  resume(ws: WebSocket, sessionId: string, seq: number): Session | undefined {
    const session = this.sessions.get(sessionId);
    if (!session) {
      this.stats.invalidSessions++;
      // d: false — not resumable; discord.js then reconnects and identifies afresh.
      setTimeout(() => ws.send(JSON.stringify({ op: Op.InvalidSession, d: false })), 50).unref();
      return undefined;
    }
    session.socket?.terminate();
    session.socket = ws;
    this.stats.resumes++;
    for (const event of session.sent) if (event.s > seq) ws.send(JSON.stringify(event));
    this.send(session, 'RESUMED', { _trace: ['fake-gateway'] });
    this.notifyReady();
    return session;
  }

  /** The client closed its socket: 1000/1001 end the session, anything else leaves it resumable. */
  closed(session: Session, ws: WebSocket, code: number): void {
    if (session.socket !== ws) return;
    session.socket = undefined;
    if (code === 1000 || code === 1001) this.sessions.delete(session.id);
  }

  private send(session: Session, t: string, d: unknown): void {
    const event = { op: Op.Dispatch, s: ++session.seq, t, d } as const;
    session.sent.push(event);
    if (session.sent.length > 1000) session.sent.shift();
    session.socket?.send(JSON.stringify(event));
  }

  /** Sends a dispatch to every session; returns how many were connected (others get it on RESUME). */
  dispatch(t: string, d: unknown): number {
    let live = 0;
    for (const session of this.sessions.values()) {
      this.send(session, t, d);
      if (session.socket) live++;
    }
    return live;
  }

  get connected(): boolean {
    return [...this.sessions.values()].some((s) => s.socket);
  }

  get resumable(): boolean {
    return this.sessions.size > 0;
  }

  /** Marks every session disconnected; `forget` also makes them unresumable. */
  detachAll(forget: boolean): void {
    for (const session of this.sessions.values()) session.socket = undefined;
    if (forget) this.sessions.clear();
  }

  /** Resolves when a session is live (at once if one is); the client handles READY moments later. */
  waitForReady(timeoutMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no gateway session became ready within ${timeoutMs} ms`)), timeoutMs);
      this.readyWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  /**
   * Waiters resume a little after READY/RESUMED went out, so the client has processed it: a
   * discord.js Client destroyed while still waiting for READY reconnects by itself afterwards.
   */
  private notifyReady(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    setTimeout(() => { for (const w of waiters) w(); }, 50).unref();
  }

  clearWaiters(): void {
    this.readyWaiters = [];
  }
}
