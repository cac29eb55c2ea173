/**
 * FOR TESTS ONLY: named points where the bot kills itself with SIGKILL, so the crash tests
 * (test/crash/) can stop it at exact steps of a poll-and-deliver cycle. Inert unless the
 * environment sets ALITA_TEST_KILL_AT: then nothing is wrapped and nothing changes.
 *
 *   ALITA_TEST_KILL_AT=<before|after>:<step>:<n>   the n-th time (1-based) this process reaches <step>
 *
 * Steps: `write` (any store write: a transaction or a single-row update, so `after:write:n` stops
 * between any two writes), `commit` (`before:commit:n`: every statement of a transaction ran, the
 * COMMIT did not), `cycle` (a cycle reads its feed list), `record` (a feed's poll recorded: seen
 * and story marks, archive, outbox entries and feed state in one transaction), `feedState`,
 * `enqueue`, `lastPoll` (end of the poll phase), `send` (the Discord POST; `after:send` is
 * "Discord accepted it, nothing recorded yet"), `markDelivered`, `reschedule`, `publish` (the
 * crosspost; `after:publish` is "published, not yet recorded"), `markPublished`. The line
 * `crash point reached: <spec>` goes to stderr just before the kill.
 */
import type { Database } from '../store/sql/database.ts';
import type { BotContext } from './context.ts';
import type { AnnouncePort } from './delivery.ts';

export const KILL_AT_VARIABLE = 'ALITA_TEST_KILL_AT';

const SPEC = /^(before|after):(\w+):(\d+)$/;

export function armCrashPoints(ctx: BotContext, database: Database, port: AnnouncePort, spec = process.env[KILL_AT_VARIABLE]): AnnouncePort {
  if (!spec) return port;
  const match = SPEC.exec(spec);
  if (!match) throw new Error(`${KILL_AT_VARIABLE} must look like after:record:1 (got "${spec}")`);
  const [, when, target, nth] = match;
  const counts = new Map<string, number>();
  const die = (): Promise<never> => {
    process.stderr.write(`crash point reached: ${spec}\n`);
    process.kill(process.pid, 'SIGKILL');
    return new Promise<never>(() => undefined);
  };
  /**
   * Counts starts and ends of a step apart: two feeds may run the same step at once, and
   * `after:<step>:1` means the first to finish, not the first to start.
   */
  const reached = (step: string, moment: 'before' | 'after'): boolean => {
    const key = `${moment}:${step}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return step === target && when === moment && counts.get(key) === Number(nth);
  };
  const wrap = <T extends object>(obj: T, method: keyof T & string, ...steps: string[]) => {
    const original = obj[method] as unknown;
    if (typeof original !== 'function') return;
    Object.assign(obj, {
      [method]: async (...args: unknown[]) => {
        for (const step of steps) if (reached(step, 'before')) await die();
        const result: unknown = await original.apply(obj, args);
        for (const step of steps) if (reached(step, 'after')) await die();
        return result;
      },
    });
  };
  // Every statement of a transaction done, its COMMIT not sent: nothing of it may survive.
  const transaction = database.transaction.bind(database);
  Object.assign(database, {
    transaction: <T>(work: Parameters<Database['transaction']>[0]) =>
      transaction(async (trx) => {
        const result = (await work(trx)) as T;
        counts.set('commit', (counts.get('commit') ?? 0) + 1);
        if (target === 'commit' && when === 'before' && counts.get('commit') === Number(nth)) await die();
        return result;
      }),
  });
  wrap(ctx, 'feeds', 'cycle');
  wrap(ctx.news, 'recordPoll', 'record', 'write');
  wrap(ctx.news, 'setFeedState', 'feedState', 'write');
  wrap(ctx.news, 'setFeedStates', 'feedState', 'write');
  wrap(ctx.outbox, 'enqueue', 'enqueue', 'write');
  wrap(ctx.settings, 'setLastPoll', 'lastPoll', 'write');
  wrap(ctx.outbox, 'markDelivered', 'markDelivered', 'write');
  wrap(ctx.outbox, 'reschedule', 'reschedule', 'write');
  wrap(ctx.outbox, 'markPublished', 'markPublished', 'write');
  const armed: AnnouncePort = { send: port.send.bind(port), ...(port.publish ? { publish: port.publish.bind(port) } : {}), ...(port.edit ? { edit: port.edit.bind(port) } : {}) };
  wrap(armed, 'send', 'send');
  if (armed.publish) wrap(armed, 'publish', 'publish');
  if (armed.edit) wrap(armed, 'edit', 'edit');
  return armed;
}
