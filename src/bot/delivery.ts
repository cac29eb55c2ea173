import { formatDigest } from '../engine/digest.ts';
import { escapeDiscordText, notifyButton, type MessageBody } from '../engine/format.ts';
import { foldWhitespace, truncateAtWord } from '../engine/text.ts';
import type { NewsItem } from '../engine/types.ts';
import type { Logger } from '../log.ts';
import { dailyDue, entryNonce, isDaily, type Outbox, type OutboxEntry } from '../store/sql/outbox.ts';
import { deliverEdits } from './edit-delivery.ts';
import { publishPending } from './publish.ts';

/** The message a send made, when the port knows it (Discord does; the console does not). */
export interface SentMessage {
  id: string;
}

/**
 * What a forum channel needs beyond the body: the post's name (its story's title, at most 100
 * characters, cut at a word), the forum tag to apply when the forum has one of that name, and
 * when the send was first queued (a post made since then under that name is this send, repeated
 * after a crash: forum posts take no nonce).
 */
export interface PostHint {
  name: string;
  tag: 'News' | 'Reddit';
  since: string;
}

/** What delivery needs from Discord (or the console): post this body in that channel, and publish it. */
export interface AnnouncePort {
  send(channelId: string, body: MessageBody & { nonce?: string; enforce_nonce?: boolean }, post?: PostHint): Promise<SentMessage | void>;
  /** Publishes (crossposts) a message of an announcement channel to the channels following it; one already published counts as done. */
  publish?(channelId: string, messageId: string): Promise<void>;
  /** Replaces the embeds of a message the bot posted in that channel (a forum's: its post's first message). */
  edit?(channelId: string, messageId: string, body: Pick<MessageBody, 'embeds'>): Promise<void>;
}

/** A failed send: `retryable` for outages (network, 5xx, 429), not for what retrying cannot fix. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** A 429's wait, when Discord said how long. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface DeliveryDeps {
  outbox: Outbox;
  port: AnnouncePort;
  clock: () => Date;
  logger: Logger;
  /** Delay before retry N (1-based). */
  backoff?: (attempt: number) => number;
  /** Whether a channel's announcements are published to its followers (an announcement channel, publishing on). */
  publishes?: (channelId: string) => boolean;
  /** The role a channel's announcements offer with a "🔔 Notify me" button, when they offer one. */
  notifyRole?: (channelId: string) => string | undefined;
  /** Told for each entry delivered, how long after it was queued (metrics). */
  onDelivered?: (waitedMs: number) => void;
}

export const defaultBackoff = (attempt: number): number => Math.min(5_000 * 2 ** (attempt - 1), 10 * 60_000);

export interface DeliveryResult {
  sent: number;
  retrying: number;
  dead: number;
  /** Messages published this round, and publishes still waiting (Discord's hourly limit or a retry). */
  published: number;
  publishWaiting: number;
  /** Story messages edited this round ("Also reported by"). */
  edited: number;
}

/** What one send covers: a post, or a digest of a channel's entries beyond its posts in one cycle. */
interface Send {
  channelId: string;
  entries: OutboxEntry[];
  body: MessageBody;
  nonce: string;
  title: string;
}

/**
 * The footer's source name. Footers are plain text, but entries queued before they were held
 * markdown-escaped text ("Film Wire \(sample\)"): text that escaping its unescaped form gives
 * back is such an old footer and is unescaped; any other text is taken as it is.
 */
function footerSource(text: string): string {
  const unescaped = text.replace(/\\(.)/g, '$1');
  return unescaped !== text && escapeDiscordText(unescaped) === text ? unescaped : text;
}

/** The item an announcement embed was made from, enough for a digest line. */
function itemOf(entry: OutboxEntry): NewsItem {
  const embed = entry.body.embeds[0];
  const source = embed ? footerSource(embed.footer.text) : '';
  return { id: entry.itemId, feed: source, source, title: entry.title, summary: '', ...(embed?.url ? { link: embed.url } : {}), ...(embed?.timestamp ? { published: embed.timestamp } : {}) };
}

/** Discord's limit on a thread's (a forum post's) name. */
const POST_NAME_MAX = 100;

/** A forum post's name and tag for a send: its story's title (a digest's heading), tagged by where the story came from. */
export function postHint(send: Send): PostHint {
  const embed = send.body.embeds[0];
  // A story's own title as the feed gave it: a post's name shows no markdown, so not the embed's
  // escaped one. A digest's heading is plain already.
  const digest = send.entries.length > 1 || send.entries[0]?.kind === 'digest';
  const name = truncateAtWord(foldWhitespace((digest ? embed?.title : send.entries[0]?.title) ?? send.title), POST_NAME_MAX) || 'Alita sequel news';
  const reddit = send.entries.length === 1 && embed?.url !== undefined && /^https?:\/\/([a-z0-9-]+\.)*reddit\.com\//i.test(embed.url);
  return { name, tag: reddit ? 'Reddit' : 'News', since: send.entries.map((e) => e.enqueuedAt).sort()[0] ?? '' };
}

/** Pending entries as sends, in delivery order; a digest goes where its first entry stands. */
export function plannedSends(pending: OutboxEntry[]): Send[] {
  const digests = new Map<string, OutboxEntry[]>();
  for (const entry of pending) {
    if (entry.kind !== 'digest') continue;
    const group = `${entry.channelId}\u0000${entry.batch ?? ''}`;
    digests.set(group, [...(digests.get(group) ?? []), entry]);
  }
  const sends: Send[] = [];
  for (const entry of pending) {
    if (entry.kind !== 'digest') {
      sends.push({ channelId: entry.channelId, entries: [entry], body: entry.body, nonce: entryNonce(entry.key), title: entry.title });
      continue;
    }
    const group = `${entry.channelId}\u0000${entry.batch ?? ''}`;
    const members = digests.get(group);
    if (!members) continue;
    digests.delete(group);
    const role = members[0]!.body.allowed_mentions.roles?.[0];
    sends.push({
      channelId: entry.channelId,
      entries: members,
      body: formatDigest(members.map(itemOf), { ...(role ? { pingRoleId: role } : {}), ...(isDaily(entry.batch) ? { daily: true } : {}) }),
      // The same digest retried after a crash carries the same nonce, so Discord posts it once.
      nonce: entryNonce(`${entry.channelId}:digest:${entry.batch ?? ''}`),
      title: `digest of ${members.length}`,
    });
  }
  return sends;
}

/**
 * Sends what the outbox holds, oldest first. A channel whose send fails for a passing reason
 * is left for a later round with back-off (and nothing after it in that channel jumps the
 * queue); a refusal retrying cannot fix goes to the dead letters and the queue moves on.
 */
export async function deliverPending(deps: DeliveryDeps): Promise<DeliveryResult> {
  const { outbox, port, clock, logger } = deps;
  const backoff = deps.backoff ?? defaultBackoff;
  const blocked = new Set<string>();
  const result: DeliveryResult = { sent: 0, retrying: 0, dead: 0, published: 0, publishWaiting: 0, edited: 0 };
  for (const send of plannedSends(await outbox.pending())) {
    if (blocked.has(send.channelId)) continue;
    // A digest-mode channel's day of stories waits for its hour; it holds nothing else back.
    if ((dailyDue(send.entries[0]!.batch) ?? 0) > clock().getTime()) continue;
    const waitUntil = Math.max(...send.entries.map((e) => (e.nextAttemptAt ? Date.parse(e.nextAttemptAt) : 0)));
    if (waitUntil > clock().getTime()) {
      blocked.add(send.channelId);
      result.retrying++;
      continue;
    }
    try {
      const role = deps.notifyRole?.(send.channelId);
      const body = role ? { ...send.body, components: [notifyButton(role)] } : send.body;
      const message = await port.send(send.channelId, { ...body, nonce: send.nonce, enforce_nonce: true }, postHint(send));
      const publish = Boolean(message && port.publish && deps.publishes?.(send.channelId));
      const at = clock();
      await outbox.markDelivered(send.entries, at, { ...(message ? { messageId: message.id } : {}), publish });
      result.sent++;
      for (const entry of send.entries) deps.onDelivered?.(at.getTime() - Date.parse(entry.enqueuedAt));
    } catch (error) {
      await handleFailure(send, error, { ...deps, backoff }, result, blocked);
    }
  }
  // Edits follow the posts they change; publishing never holds up either.
  result.edited = (await deliverEdits({ ...deps, backoff })).edited;
  const published = await publishPending({ ...deps, backoff });
  result.published = published.published;
  result.publishWaiting = published.waiting;
  if (result.sent || result.dead || result.published || result.edited) logger.info('delivery round', { ...result });
  return result;
}

async function handleFailure(send: Send, error: unknown, deps: Required<Pick<DeliveryDeps, 'backoff'>> & DeliveryDeps, result: DeliveryResult, blocked: Set<string>): Promise<void> {
  const { outbox, clock, logger } = deps;
  const reason = error instanceof Error ? error.message : String(error);
  const retryable = !(error instanceof DeliveryError) || error.retryable;
  if (!retryable) {
    for (const entry of send.entries) await outbox.deadLetter(entry, reason, clock());
    logger.error('announcement refused by Discord; moved to dead letters', { channel: send.channelId, item: send.title, reason });
    result.dead++;
    return;
  }
  const attempt = Math.max(...send.entries.map((e) => e.attempts)) + 1;
  const next = new Date(clock().getTime() + deps.backoff(attempt));
  for (const entry of send.entries) await outbox.reschedule(entry, reason, next);
  logger.warn('announcement not delivered; will retry', { channel: send.channelId, item: send.title, attempt, retryAt: next.toISOString(), reason });
  blocked.add(send.channelId);
  result.retrying++;
}
