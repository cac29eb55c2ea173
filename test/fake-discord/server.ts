// A fake Discord on 127.0.0.1 that the real discord.js Client connects to: REST under /api/v10
// and the gateway on the same port. It refuses what Discord refuses and records everything.
import { Faults, type FaultScope } from './faults.ts';
import { Gateway, type GatewayStats } from './gateway.ts';
import { buildInteraction, type AutocompleteInput, type CommandInput } from './interaction-payload.ts';
import { InteractionHandle } from './interaction-handle.ts';
import { Interactions, InteractionState, type Choice, type InteractionKind, type RejectedRequest } from './interactions.ts';
import { buildButtonPress, type ButtonPressInput } from './component-payload.ts';
import { Listener } from './listener.ts';
import { Rest, type RequestRecord } from './rest.ts';
import { channelRoutes } from './routes-channels.ts';
import { commandRoutes } from './routes-commands.ts';
import { interactionRoutes } from './routes-interactions.ts';
import { memberRoutes } from './routes-members.ts';
import { publishRoutes } from './routes-publish.ts';
import { threadRoutes } from './routes-threads.ts';
import { WorldView } from './world-view.ts';
import { World, type WorldOptions } from './world.ts';

export interface FakeDiscordOptions extends WorldOptions {
  /** Only this bot token is accepted (REST `Bot <token>` and gateway IDENTIFY). Default: any non-empty token. */
  token?: string;
  /** HELLO heartbeat_interval. Default 41250 ms like Discord. */
  heartbeatIntervalMs?: number;
  /** Time allowed for the first interaction callback. Default 3000 ms like Discord. */
  interactionWindowMs?: number;
  /** How long handle.reply()/choices()/waitForFollowUps() wait by default. Default 10 s. */
  replyTimeoutMs?: number;
}

export type OutageMode = 'refuse' | 503 | null;

export class FakeDiscord extends WorldView {
  readonly port: number;
  /** Pass to discord.js as `rest: { api: fake.apiUrl }`. */
  readonly apiUrl: string;
  readonly gatewayUrl: string;
  private outage: OutageMode = null;
  private readonly faults = new Faults();
  private readonly interactions: Interactions;
  private readonly gateway: Gateway;
  private readonly rest: Rest;
  private readonly handles: InteractionHandle[] = [];

  constructor(private readonly listener: Listener, world: World, private readonly options: FakeDiscordOptions) {
    super(world);
    this.port = listener.port;
    this.apiUrl = `http://127.0.0.1:${this.port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${this.port}`;
    this.interactions = new Interactions(options.interactionWindowMs ?? 3000);
    this.gateway = new Gateway(world, { heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, token: options.token, url: () => this.gatewayUrl });
    const routes = [
      ...channelRoutes(world, () => this.gatewayUrl), ...publishRoutes(world), ...threadRoutes(world), ...memberRoutes(world),
      ...commandRoutes(world), ...interactionRoutes(world, this.interactions),
    ];
    this.rest = new Rest(routes, this.faults, options.token);
    const { server } = listener;
    server.on('request', (req, res) => void this.rest.handle(req, res).catch((e: Error) => res.destroy(e)));
    server.on('upgrade', (req, socket, head) => {
      if (this.outage === 503) return socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      this.gateway.handleUpgrade(req, socket, head);
    });
  }

  /** Every REST call: method, path (relative to /api/v10), status, body. */
  get requests(): RequestRecord[] { return [...this.rest.requests]; }
  /** Calls the fake refused as Discord would (validation, unknown ids, auth…), with reasons; injected faults are only in `requests`. */
  get rejected(): RejectedRequest[] { return [...this.rest.rejected]; }
  /** Calls to routes the fake does not know (answered 404): usually a bug in the bot or a gap in the fake. */
  get unexpected(): RequestRecord[] { return this.rest.requests.filter((r) => !r.handled); }
  get gatewayStats(): GatewayStats { return { ...this.gateway.stats }; }
  allInteractions(): InteractionHandle[] { return [...this.handles]; }

  /** A user runs a slash command: INTERACTION_CREATE type 2. */
  sendCommand(input: CommandInput): InteractionHandle {
    return this.dispatchInteraction('command', input);
  }

  /** A user types into an autocomplete option: INTERACTION_CREATE type 4; the handle's choices() resolves with the result. */
  dispatchAutocomplete(input: AutocompleteInput): InteractionHandle {
    return this.dispatchInteraction('autocomplete', input);
  }

  sendAutocomplete(input: AutocompleteInput): Promise<Choice[]> {
    return this.dispatchAutocomplete(input).choices();
  }

  /**
   * A user presses a button on a message the bot posted: INTERACTION_CREATE type 3 with the message.
   * The handle's reply() waits for a type 4/5 answer, messageUpdate() for a type 7 or 6 + edit.
   */
  pressButton(input: ButtonPressInput): InteractionHandle {
    return this.dispatchInteraction('component', input);
  }

  private dispatchInteraction(kind: InteractionKind, input: CommandInput | AutocompleteInput | ButtonPressInput): InteractionHandle {
    if (!this.gateway.resumable) throw new Error('fake Discord: no bot is connected to the gateway; await client login / fake.waitForGateway() first');
    const built = kind === 'component' ? buildButtonPress(this.world, input as ButtonPressInput)
      : buildInteraction(this.world, kind, input as CommandInput | AutocompleteInput);
    const name = kind === 'component' ? (input as ButtonPressInput).customId : (input as CommandInput).name;
    const state = new InteractionState(built.id, built.token, kind, name, built.payload, built.channelId, built.guildId);
    if (kind === 'component') state.componentMessage = (built as ReturnType<typeof buildButtonPress>).message;
    this.interactions.add(state);
    this.gateway.dispatch('INTERACTION_CREATE', built.payload);
    const handle = new InteractionHandle(state, this.interactions.windowMs, this.options.replyTimeoutMs ?? 60_000);
    this.handles.push(handle);
    return handle;
  }

  /** Sends any gateway dispatch (e.g. 'GUILD_MEMBER_ADD'); returns how many live sessions got it. */
  dispatch(event: string, data: unknown): number {
    return this.gateway.dispatch(event, data);
  }

  /** Resolves once a bot session is live on the gateway (after login or after a reconnect). */
  waitForGateway(timeoutMs = 90_000): Promise<void> {
    return this.gateway.waitForReady(timeoutMs);
  }

  /** The next `count` matching REST calls fail with `status` (JSON body `{ message, code: 0 }` unless given). */
  failNext(count: number, status = 500, options: FaultScope & { body?: unknown } = {}): void {
    this.faults.fail(count, status, options.body, options);
  }

  /** The next `count` matching REST calls get 429 with Discord's headers and body. */
  rateLimitNext(count: number, retryAfterSeconds: number, options: FaultScope & { global?: boolean } = {}): void {
    this.faults.rateLimit(count, retryAfterSeconds, options.global ?? false, options);
  }

  /** The next `count` matching REST calls are answered only after `ms` (to exercise client timeouts). */
  delayNext(count: number, ms: number, options: FaultScope = {}): void {
    this.faults.delay(count, ms, options);
  }

  clearFaults(): void { this.faults.clear(); }

  /**
   * 'refuse': stop listening and cut every connection (REST and gateway get ECONNREFUSED) until
   * cleared; 503: every REST call and gateway upgrade gets 503; null: back to normal on the same port.
   */
  async setOutage(mode: OutageMode): Promise<void> {
    const previous = this.outage;
    this.outage = mode;
    this.rest.outage503 = mode === 503;
    if (mode === 'refuse' && previous !== 'refuse') {
      this.gateway.drop();
      await this.listener.refuse();
    }
    if (mode !== 'refuse' && previous === 'refuse') await this.listener.resume();
  }

  /** Cuts the gateway connection(s); see Gateway#drop for the options. discord.js must reconnect by itself. */
  dropGateway(options: { code?: number; invalidateSession?: boolean } = {}): void {
    this.gateway.drop(options);
  }

  async close(): Promise<void> {
    this.interactions.close();
    this.gateway.close();
    await this.listener.close();
  }
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(await Listener.start(), new World(options), options);
}

export type { AutocompleteInput, CommandInput, OptionValue, RawOption } from './interaction-payload.ts';
export type { CallbackRecord, Choice, RejectedRequest, WaitOptions } from './interactions.ts';
export { InteractionHandle } from './interaction-handle.ts';
export type { FakeMessage } from './messages.ts';
export type { RequestRecord } from './rest.ts';
export type { RouteMatcher, FaultScope } from './faults.ts';
export type { GatewayStats } from './gateway.ts';
export type { StoredCommand, WorldOptions } from './world.ts';
export type { ChannelSpec, ForumTagSpec, GuildSpec, MemberSpec, RoleSpec } from './state.ts';
export type { ButtonPressInput } from './component-payload.ts';
export type { ForumPost, ForumTag } from './forums.ts';
export { CROSSPOSTED } from './routes-publish.ts';
export { PUBLISH_LIMIT, PUBLISH_WINDOW_MS } from './publishing.ts';
export { MEMBER_PERMISSIONS, MODERATOR_PERMISSIONS, BOT_PERMISSIONS, ALL_PERMISSIONS } from './state.ts';
