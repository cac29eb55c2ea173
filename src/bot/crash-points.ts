/**
 * FOR TESTS ONLY: named points where the bot kills itself with SIGKILL, so the crash tests
 * (test/crash/) can stop it at exact steps of a poll-and-deliver cycle. Inert unless the
 * environment sets ALITA_TEST_KILL_AT: then nothing is wrapped and nothing changes.
 *
 *   ALITA_TEST_KILL_AT=<before|after>:<step>:<n>   the n-th time (1-based) this process reaches <step>
 *
 * Steps: `write` (any store write: Keyv set/setMany/delete/deleteMany, so `after:write:n` stops
 * between any two writes), `cycle` (a cycle reads its feed list), `enqueue`, `storyMarks`,
 * `markSeen`, `archive`, `feedState`, `lastPoll` (end of the poll phase), `send` (the Discord
 * POST; `after:send` is "Discord accepted it, nothing recorded yet"), `markDelivered`,
 * `reschedule`. The line `crash point reached: <spec>` goes to stderr just before the kill.
 */
import type Keyv from 'keyv';
import type { BotContext } from './context.ts';
import type { AnnouncePort } from './delivery.ts';

export const KILL_AT_VARIABLE = 'ALITA_TEST_KILL_AT';

const SPEC = /^(before|after):(\w+):(\d+)$/;

export function armCrashPoints(ctx: BotContext, keyv: Keyv, port: AnnouncePort, spec = process.env[KILL_AT_VARIABLE]): AnnouncePort {
  if (!spec) return port;
  const match = SPEC.exec(spec);
  if (!match) throw new Error(`${KILL_AT_VARIABLE} must look like after:markSeen:1 (got "${spec}")`);
  const [, when, target, nth] = match;
  const counts = new Map<string, number>();
  const die = (): Promise<never> => {
    process.stderr.write(`crash point reached: ${spec}\n`);
    process.kill(process.pid, 'SIGKILL');
    return new Promise<never>(() => undefined);
  };
  const wrap = <T extends object>(obj: T, method: keyof T & string, step: string) => {
    const original = obj[method] as unknown;
    if (typeof original !== 'function') return;
    Object.assign(obj, {
      [method]: async (...args: unknown[]) => {
        const n = (counts.get(step) ?? 0) + 1;
        counts.set(step, n);
        const hit = step === target && n === Number(nth);
        if (hit && when === 'before') await die();
        const result: unknown = await original.apply(obj, args);
        if (hit && when === 'after') await die();
        return result;
      },
    });
  };
  for (const method of ['set', 'setMany', 'delete', 'deleteMany'] as const) wrap(keyv, method, 'write');
  wrap(ctx, 'feeds', 'cycle');
  wrap(ctx.outbox, 'enqueue', 'enqueue');
  wrap(ctx.news, 'setStoryMarks', 'storyMarks');
  wrap(ctx.news, 'markSeen', 'markSeen');
  wrap(ctx.news, 'addToArchive', 'archive');
  wrap(ctx.news, 'setFeedState', 'feedState');
  wrap(ctx.settings, 'setLastPoll', 'lastPoll');
  wrap(ctx.outbox, 'markDelivered', 'markDelivered');
  wrap(ctx.outbox, 'reschedule', 'reschedule');
  const armed = { send: port.send.bind(port) };
  wrap(armed, 'send', 'send');
  return armed;
}
