/**
 * A publisher's change to an item already announced: its message is edited to match, never
 * posted again, within a week of the post and at most MAX_UPDATES times per message. Pure.
 */
import { hash } from 'node:crypto';
import type { Judged } from './dedupe.ts';
import type { Embed, MessageBody } from './format.ts';
import type { AnnouncedMessage, StoryEdit } from './record-plan.ts';
import type { NewsItem } from './types.ts';

export const EDIT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_UPDATES = 3;
/** Same as message-edits.ts's: the cause of a publisher's change. */
const UPDATE = 'update:';

/** What a reader sees change: the title, the excerpt, the link. */
const readable = (embed: Embed | undefined) => JSON.stringify([embed?.title ?? '', embed?.description ?? '', embed?.url ?? '']);

export function updateEdits(announced: AnnouncedMessage[], judged: Judged[], format: (item: NewsItem, channelId: string) => MessageBody): StoryEdit[] {
  const byId = new Map(judged.filter((j) => j.verdict.relevant).map((j) => [j.item.id, j.item]));
  const edits: StoryEdit[] = [];
  for (const message of announced) {
    const item = byId.get(message.itemId);
    if (!item || message.updates >= MAX_UPDATES) continue;
    const now = format(item, message.channelId).embeds;
    const was = readable(message.body.embeds[0]);
    const is = readable(now[0]);
    if (was === is) continue;
    // The cause names the text it changes to: the same change seen again queues nothing.
    edits.push({ channelId: message.channelId, itemId: message.itemId, cause: `${UPDATE}${hash('sha256', is, 'hex').slice(0, 24)}`, embeds: now });
  }
  return edits;
}
