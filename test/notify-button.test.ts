// The "🔔 Notify me" button: its row, what delivery puts on a post, and the private answers.
import { describe, expect, it } from 'vitest';
import { deliverPending, type AnnouncePort } from '../src/bot/delivery.ts';
import { formatAnnouncement, notifyButton, type MessageBody } from '../src/engine/format.ts';
import { notifyReply } from '../src/discord/notify-button.ts';
import { silentLogger } from '../src/log.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { tempSqliteStore } from './support/store.ts';

const ROLE = '555555555555555555';

describe('the Notify me button', () => {
  it('is one secondary button whose custom_id names the role, as Discord accepts it', () => {
    const row = notifyButton(ROLE);
    expect(row).toEqual({ type: 1, components: [{ type: 2, style: 2, label: '🔔 Notify me', custom_id: `notify:${ROLE}` }] });
    const body: MessageBody = { ...formatAnnouncement({ id: 'i', feed: 'f', source: 'S', title: 'Alita 2', summary: '' }), components: [row] };
    expect(validateMessageBody(body)).toEqual([]);
  });

  it('goes on the posts of channels that offer it, and only there', async () => {
    const temp = await tempSqliteStore();
    try {
      const sent: Array<{ channelId: string; body: MessageBody }> = [];
      const port: AnnouncePort = { send: async (channelId, { nonce: _n, enforce_nonce: _e, ...body }) => void sent.push({ channelId, body }) };
      const item = (n: number) => ({ id: `i${n}`, feed: 'f', source: 'S', title: `Alita 2 story ${n}`, summary: '' });
      await temp.stores.outbox.enqueue([{ channelId: 'c1', itemId: 'i1', title: 't', body: formatAnnouncement(item(1)) }, { channelId: 'c2', itemId: 'i2', title: 't', body: formatAnnouncement(item(2)) }], new Date());
      await deliverPending({ outbox: temp.stores.outbox, port, clock: () => new Date(), logger: silentLogger, notifyRole: (c) => (c === 'c1' ? ROLE : undefined) });
      expect(sent.map((s) => [s.channelId, s.body.components?.[0]?.components[0]?.custom_id])).toEqual([['c1', `notify:${ROLE}`], ['c2', undefined]]);
    } finally {
      await temp.cleanup();
    }
  });

  it('answers each press privately with what happened', () => {
    expect(notifyReply('added', ROLE)).toBe(`🔔 You now have <@&${ROLE}>: you will be pinged with each Alita sequel announcement. Press the button again to stop.`);
    expect(notifyReply('removed', ROLE)).toBe(`🔕 <@&${ROLE}> removed: no more pings. Press the button again to get them back.`);
    expect(notifyReply('cannot', ROLE)).toMatch(/^I can't give or take that role right now/);
    expect(notifyReply('not-this-role', ROLE)).toMatch(/older setup/);
  });
});
