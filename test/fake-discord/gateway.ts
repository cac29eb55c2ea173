// Gateway v10 over WebSocket: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with replay.
// JSON encoding and no transport compression, which is what @discordjs/ws uses unless zlib-sync is installed.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Op, Sessions, type GatewayStats, type Session } from './sessions.ts';
import type { World } from './world.ts';

export type { GatewayStats } from './sessions.ts';

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** When set, IDENTIFY/RESUME with another token is closed with 4004. */
  token?: string;
  /** ws:// base URL clients reach the gateway on; also the resume_gateway_url. */
  url: () => string;
}

export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly sessions: Sessions;

  constructor(world: World, private readonly options: GatewayOptions) {
    this.sessions = new Sessions(world, options.url);
  }

  get stats(): GatewayStats { return this.sessions.stats; }
  get connected(): boolean { return this.sessions.connected; }
  get resumable(): boolean { return this.sessions.resumable; }
  dispatch(t: string, d: unknown): number { return this.sessions.dispatch(t, d); }
  waitForReady(timeoutMs: number): Promise<void> { return this.sessions.waitForReady(timeoutMs); }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const query = new URL(req.url ?? '/', 'ws://x').searchParams;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.stats.connections++;
      this.sockets.add(ws);
      ws.on('close', () => this.sockets.delete(ws));
      if (query.get('v') !== '10') return ws.close(4012, 'Invalid API version');
      if ((query.get('encoding') ?? 'json') !== 'json') return ws.close(4002, 'Only encoding=json is supported by the fake');
      if (query.get('compress')) return ws.close(4000, 'Transport compression is not supported by the fake');
      this.serve(ws);
    });
  }

  private serve(ws: WebSocket): void {
    let session: Session | undefined;
    ws.send(JSON.stringify({ op: Op.Hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['fake-gateway'] } }));
    ws.on('message', (raw) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(String(raw));
      } catch {
        return ws.close(4002, 'Decode error');
      }
      const d = (payload.d && typeof payload.d === 'object' ? payload.d : {}) as Record<string, unknown>;
      switch (payload.op) {
        case Op.Heartbeat:
          return ws.send(JSON.stringify({ op: Op.HeartbeatAck }));
        case Op.Identify:
          if (session) return ws.close(4005, 'Already authenticated');
          if (!this.tokenOk(d.token)) return ws.close(4004, 'Authentication failed');
          if (typeof d.intents !== 'number') return ws.close(4013, 'Invalid intent(s)');
          session = this.sessions.identify(ws, d.intents);
          return;
        case Op.Resume:
          if (session) return ws.close(4005, 'Already authenticated');
          if (!this.tokenOk(d.token)) return ws.close(4004, 'Authentication failed');
          session = this.sessions.resume(ws, String(d.session_id), Number(d.seq ?? 0));
          return;
        case 3: // presence update
        case 4: // voice state update
        case 8: // request guild members
          return session ? undefined : ws.close(4003, 'Not authenticated');
        default:
          return ws.close(4001, 'Unknown opcode');
      }
    });
    ws.on('close', (code) => session && this.sessions.closed(session, ws, code));
  }

  private tokenOk(token: unknown): boolean {
    return typeof token === 'string' && token.length > 0 && (!this.options.token || token === this.options.token);
  }

  /**
   * Closes every gateway connection. Default: the TCP connection just dies (code 1006 at the
   * client), as on a network drop, and sessions stay resumable. `code` sends a close frame instead
   * (1000 makes discord.js re-identify); `invalidateSession` forgets sessions so RESUME fails.
   */
  drop(options: { code?: number; invalidateSession?: boolean } = {}): void {
    this.sessions.detachAll(options.invalidateSession ?? false);
    for (const ws of this.sockets) {
      if (options.code) ws.close(options.code, 'Dropped by fake Discord');
      else ws.terminate();
    }
  }

  close(): void {
    this.drop({ invalidateSession: true });
    this.sessions.clearWaiters();
    this.wss.close();
  }
}
