// Message objects as Discord returns them, built from accepted request bodies.
import type { APIMessage, APIUser } from 'discord.js';
import { snowflake } from './state.ts';
import type { UploadedFile } from './http.ts';

/** A message as Discord would return it (APIMessage shape) — inspect `.content`, `.embeds`, `.flags`. */
export type FakeMessage = APIMessage & { guild_id?: string };

type Body = Record<string, unknown>;

const EDITABLE = ['content', 'embeds', 'components', 'flags', 'attachments', 'poll'] as const;
/** Message flags an edit may change: SUPPRESS_EMBEDS on and off; IS_COMPONENTS_V2 only on. The rest (CROSSPOSTED, EPHEMERAL…) stay. */
const SUPPRESS_EMBEDS = 1 << 2;
const IS_COMPONENTS_V2 = 1 << 15;

/** Discord echoes embeds back with type "rich", fields' inline defaulted and nulls dropped. */
function normalizeEmbeds(embeds: unknown): unknown[] {
  if (!Array.isArray(embeds)) return [];
  return embeds.map((e: Body) => {
    const clean = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null && v !== undefined));
    if (Array.isArray(clean.fields)) clean.fields = clean.fields.map((f: Body) => ({ inline: false, ...f }));
    return { type: 'rich', ...clean };
  });
}

function attachments(files: UploadedFile[]): unknown[] {
  return files.map((f) => ({
    id: snowflake(), filename: f.name, size: f.size, content_type: f.contentType,
    url: `https://cdn.discordapp.com/attachments/fake/${f.name}`, proxy_url: `https://media.discordapp.net/attachments/fake/${f.name}`,
  }));
}

export interface MessageContext {
  channelId: string;
  guildId?: string;
  author: APIUser;
  /** 0 DEFAULT, 20 CHAT_INPUT_COMMAND (an interaction's original response). */
  type?: number;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: Record<string, unknown>;
  files?: UploadedFile[];
}

export function makeMessage(body: Body, ctx: MessageContext): FakeMessage {
  const message: Record<string, unknown> = {
    id: snowflake(), type: ctx.type ?? 0, channel_id: ctx.channelId, author: ctx.author,
    content: typeof body.content === 'string' ? body.content : '', embeds: normalizeEmbeds(body.embeds),
    attachments: attachments(ctx.files ?? []), components: Array.isArray(body.components) ? body.components : [],
    mentions: [], mention_roles: [], mention_everyone: false, pinned: false, tts: body.tts === true,
    timestamp: new Date().toISOString(), edited_timestamp: null, flags: typeof body.flags === 'number' ? body.flags : 0,
  };
  if (ctx.guildId) message.guild_id = ctx.guildId;
  if (body.nonce !== undefined && body.nonce !== null) message.nonce = body.nonce;
  if (body.poll) message.poll = body.poll;
  if (body.message_reference) message.message_reference = body.message_reference;
  if (ctx.webhookId) message.webhook_id = ctx.webhookId;
  if (ctx.applicationId) message.application_id = ctx.applicationId;
  if (ctx.interactionMetadata) message.interaction_metadata = ctx.interactionMetadata;
  return message as unknown as FakeMessage;
}

/** Applies a PATCH body in place: only fields present in the body change. */
export function applyEdit(message: FakeMessage, body: Body, files: UploadedFile[] = []): FakeMessage {
  const target = message as unknown as Record<string, unknown>;
  for (const key of EDITABLE) {
    if (!(key in body)) continue;
    const value = body[key];
    if (key === 'embeds') target.embeds = normalizeEmbeds(value);
    else if (key === 'content') target.content = typeof value === 'string' ? value : '';
    else if (key === 'attachments') target.attachments = Array.isArray(value) ? value : [];
    else if (key === 'flags') {
      const asked = typeof value === 'number' ? value : 0;
      const kept = Number(target.flags ?? 0) & ~SUPPRESS_EMBEDS;
      target.flags = kept | (asked & (SUPPRESS_EMBEDS | IS_COMPONENTS_V2));
    } else target[key] = value ?? [];
  }
  if (files.length) target.attachments = [...(target.attachments as unknown[]), ...attachments(files)];
  target.edited_timestamp = new Date().toISOString();
  return message;
}

/** Messages per channel, in the order Discord accepted them. */
export class MessageStore {
  private byChannel = new Map<string, FakeMessage[]>();
  private interactionIds = new Set<string>();
  private editBodies = new Map<string, Record<string, unknown>[]>();
  /** Ephemeral replies: in no channel's history, but their buttons can be pressed by the member who saw them. */
  private ephemeral = new Map<string, FakeMessage>();

  addEphemeral(message: FakeMessage): FakeMessage {
    this.ephemeral.set(message.id, message);
    return message;
  }

  add(message: FakeMessage, fromInteraction = false): FakeMessage {
    const list = this.byChannel.get(message.channel_id) ?? [];
    list.push(message);
    this.byChannel.set(message.channel_id, list);
    if (fromInteraction) this.interactionIds.add(message.id);
    return message;
  }

  /** Applies an edit (see applyEdit) and remembers its body, so tests can count edits. */
  edit(message: FakeMessage, body: Body, files: UploadedFile[] = []): FakeMessage {
    applyEdit(message, body, files);
    this.editBodies.set(message.id, [...(this.editBodies.get(message.id) ?? []), body]);
    return message;
  }

  /** Bodies of the accepted edits of a message, oldest first. */
  edits(messageId: string): Record<string, unknown>[] {
    return [...(this.editBodies.get(messageId) ?? [])];
  }

  list(channelId: string, includeInteractions = false): FakeMessage[] {
    const all = this.byChannel.get(channelId) ?? [];
    return includeInteractions ? [...all] : all.filter((m) => !this.interactionIds.has(m.id));
  }

  /**
   * The message `authorId` posted in the channel with this nonce within the last `windowMs`
   * (Discord's `enforce_nonce` check: "the past few minutes").
   */
  findByNonce(channelId: string, authorId: string, nonce: string | number, windowMs: number, now = Date.now()): FakeMessage | undefined {
    return this.byChannel.get(channelId)?.find((m) =>
      m.author.id === authorId && m.nonce !== undefined && String(m.nonce) === String(nonce) && now - Date.parse(m.timestamp) <= windowMs);
  }

  find(channelId: string, messageId: string): FakeMessage | undefined {
    return this.byChannel.get(channelId)?.find((m) => m.id === messageId) ?? [this.ephemeral.get(messageId)].find((m) => m?.channel_id === channelId);
  }

  remove(channelId: string, messageId: string): boolean {
    const list = this.byChannel.get(channelId);
    const index = list?.findIndex((m) => m.id === messageId) ?? -1;
    if (!list || index < 0) return false;
    list.splice(index, 1);
    return true;
  }
}
