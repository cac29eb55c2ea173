/**
 * The quote review queue, as rows: quotations found in announced stories wait per server for a
 * moderator. One row per server and quotation (speaker and words, folded), so the same words
 * from several outlets are one candidate, which keeps the earliest source; a decided row stays,
 * so a rejected quotation is never proposed again. A decision changes a row only while it is
 * pending: two moderators pressing at once decide it once.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import type { Database, DatabaseLogger } from './database.ts';
import { chunks, RowReader } from './rows.ts';
import type { QuoteCandidatesTable, Tables } from './tables.ts';

export interface NewCandidate {
  guildId: string;
  speaker: string;
  text: string;
  context: string;
  itemId: string;
  link?: string;
  title: string;
  outlet: string;
  /** The story's published date, else when it was found (ISO). */
  published: string;
}

export interface Candidate extends NewCandidate {
  id: number;
  state: 'pending' | 'approved' | 'rejected';
}

const fold = (s: string) => s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Speaker and words, folded: quotation marks, case, accents and punctuation do not make another quotation. */
export function candidateKey(speaker: string, text: string): string {
  return createHash('sha256').update(`${fold(speaker)}\n${fold(text)}`).digest('hex').slice(0, 32);
}

const rowSchema = z.object({
  id: z.coerce.number(),
  guild_id: z.string(),
  speaker: z.string().min(1),
  text: z.string().min(1),
  context: z.string(),
  item_id: z.string(),
  link: z.string().nullable(),
  title: z.string(),
  outlet: z.string(),
  published: z.string(),
  state: z.enum(['pending', 'approved', 'rejected']),
});

/** Inside a poll's record transaction: queues its announced stories' quotations for the servers that want them. */
export async function insertCandidates(trx: Kysely<Tables>, candidates: NewCandidate[], now: Date): Promise<void> {
  if (candidates.length === 0) return;
  const guilds = [...new Set(candidates.map((c) => c.guildId))];
  const off = new Set<string>();
  for (const part of chunks(guilds)) {
    const rows = await trx.selectFrom('quote_review').select(['guild_id', 'enabled']).where('guild_id', 'in', part).execute();
    for (const row of rows) if (Number(row.enabled) === 0) off.add(row.guild_id);
  }
  const rows = candidates
    .filter((c) => !off.has(c.guildId))
    .map((c) => ({
      guild_id: c.guildId,
      key: candidateKey(c.speaker, c.text),
      speaker: c.speaker,
      text: c.text,
      context: c.context,
      item_id: c.itemId,
      link: c.link ?? null,
      title: c.title,
      outlet: c.outlet,
      published: c.published,
      found_at: now.toISOString(),
    }));
  for (const part of chunks(rows, 12)) {
    // A later outlet's copy of a pending quotation is dropped, an earlier one becomes its source.
    await trx
      .insertInto('quote_candidates')
      .values(part)
      .onConflict((oc) =>
        oc
          .columns(['guild_id', 'key'])
          .doUpdateSet((eb) => ({
            context: eb.ref('excluded.context'),
            item_id: eb.ref('excluded.item_id'),
            link: eb.ref('excluded.link'),
            title: eb.ref('excluded.title'),
            outlet: eb.ref('excluded.outlet'),
            published: eb.ref('excluded.published'),
          }))
          .where((eb) => eb.and([eb('quote_candidates.state', '=', 'pending'), eb('excluded.published', '<', eb.ref('quote_candidates.published'))])),
      )
      .execute();
  }
}

export class QuoteCandidates {
  private readonly reader: RowReader;

  constructor(
    private readonly database: Database,
    logger: DatabaseLogger,
  ) {
    this.reader = new RowReader(logger);
  }

  /** The oldest pending candidate of a server (earliest story first), and how many wait. */
  async next(guildId: string): Promise<{ candidate?: Candidate; pending: number }> {
    const db = this.database.db;
    const count = await db.selectFrom('quote_candidates').select((eb) => eb.fn.countAll().as('n')).where('guild_id', '=', guildId).where('state', '=', 'pending').executeTakeFirst();
    const pending = Number(count?.n ?? 0);
    // A malformed row is logged once and skipped: one bad row must not block the queue.
    const rows = await db.selectFrom('quote_candidates').selectAll().where('guild_id', '=', guildId).where('state', '=', 'pending').orderBy('published').orderBy('id').limit(20).execute();
    for (const row of rows) {
      const candidate = this.toCandidate(row);
      if (candidate) return { candidate, pending };
    }
    return { pending };
  }

  async get(guildId: string, id: number): Promise<Candidate | undefined> {
    const row = await this.database.db.selectFrom('quote_candidates').selectAll().where('guild_id', '=', guildId).where('id', '=', id).executeTakeFirst();
    return row && this.toCandidate(row);
  }

  /** Approves or rejects a pending candidate; false when it was decided already (or is not this server's). */
  async decide(guildId: string, id: number, state: 'approved' | 'rejected', by: string, now: Date): Promise<boolean> {
    const result = await this.database.db
      .updateTable('quote_candidates')
      .set({ state, decided_at: now.toISOString(), decided_by: by })
      .where('guild_id', '=', guildId)
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A moderator's correction of who said it; only while pending. */
  async setSpeaker(guildId: string, id: number, speaker: string): Promise<boolean> {
    const result = await this.database.db.updateTable('quote_candidates').set({ speaker }).where('guild_id', '=', guildId).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Whether the server's queue is on (it is unless turned off). */
  async enabled(guildId: string): Promise<boolean> {
    const row = await this.database.db.selectFrom('quote_review').select('enabled').where('guild_id', '=', guildId).executeTakeFirst();
    return row === undefined || Number(row.enabled) !== 0;
  }

  async setEnabled(guildId: string, enabled: boolean, by: string, now: Date): Promise<void> {
    const row = { guild_id: guildId, enabled: enabled ? 1 : 0, updated_at: now.toISOString(), updated_by: by };
    await this.database.db.insertInto('quote_review').values(row).onConflict((oc) => oc.column('guild_id').doUpdateSet({ enabled: row.enabled, updated_at: row.updated_at, updated_by: row.updated_by })).execute();
  }

  private toCandidate(row: Selectable<QuoteCandidatesTable>): Candidate | undefined {
    const parsed = this.reader.check('quote_candidates', `${row.guild_id}:${String(row.id)}`, row, rowSchema);
    if (!parsed) return undefined;
    return {
      id: parsed.id,
      guildId: parsed.guild_id,
      speaker: parsed.speaker,
      text: parsed.text,
      context: parsed.context,
      itemId: parsed.item_id,
      ...(parsed.link ? { link: parsed.link } : {}),
      title: parsed.title,
      outlet: parsed.outlet,
      published: parsed.published,
      state: parsed.state,
    };
  }
}
