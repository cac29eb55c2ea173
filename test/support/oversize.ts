// Data at the bot's limits for the oversize-reply tests, and the check every such reply must pass.
import { expect } from 'vitest';
import type { InteractionHandle } from '../fake-discord/interaction-handle.ts';
import type { FakeMessage } from '../fake-discord/messages.ts';

/** Every character escapeDiscordText doubles, a mention, @everyone, and a space now and then for word cuts. */
const UNIT = '*_~|`>[]()\\<@123456789012345678> @everyone ';

/** `n` characters of markdown-heavy text, no whitespace at either end (options are trimmed). */
export function heavy(n: number, unit = UNIT): string {
  const text = Array.from({ length: n }, (_, i) => unit[i % unit.length]).join('');
  return text.replace(/^\s|\s$/g, 'x');
}

/**
 * The reply a member sees, after checking Discord took it: nothing refused (so no "Sorry…"
 * apology instead), and a body that lets nothing in it ping anyone.
 */
export async function accepted(handle: InteractionHandle): Promise<FakeMessage> {
  const reply = await handle.reply();
  expect(handle.rejected.map((r) => `${r.path}: ${r.reasons.join('; ')}`)).toEqual([]);
  expect(reply.content ?? '').not.toMatch(/^Sorry/);
  // A slow command defers (type 5) and answers in an edit; a quick one answers in the callback.
  const body = handle.callback?.type === 5 ? handle.edits.at(-1) : handle.callback?.data;
  expect(body?.allowed_mentions).toEqual({ parse: [] });
  return reply;
}
