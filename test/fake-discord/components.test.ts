// Buttons: posting them (validated), and a user pressing one (INTERACTION_CREATE type 3) with the bot's answers.
import {
  ButtonStyle, Events, MessageFlags, PermissionFlagsBits as P, Routes, type ButtonInteraction, type Client, type Interaction, type TextChannel,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { loginTestClient } from './client.ts';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './server.ts';

const MOD = { id: '700000000000000001', username: 'mod', global_name: 'Mod' };

let fake: FakeDiscord | undefined;
let client: Client<true> | undefined;

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

const row = (...buttons: Record<string, unknown>[]) => ({ type: 1, components: buttons.map((b) => ({ type: 2, style: ButtonStyle.Primary, label: 'Go', ...b })) });

async function setup(onButton: (i: ButtonInteraction) => Promise<unknown>, options: FakeDiscordOptions = {}) {
  fake = await startFakeDiscord({
    guilds: [{ name: 'Alita Army', channels: [{ name: 'news' }], roles: [{ name: 'Moderators', permissions: P.ManageGuild }], members: [{ ...MOD, roles: ['Moderators'] }] }],
    ...options,
  });
  client = await loginTestClient(fake);
  client.on(Events.InteractionCreate, (i: Interaction) => void (i.isButton() ? onButton(i) : Promise.resolve()).catch(() => {}));
  const news = client.channels.cache.get(fake.channelId('news')) as TextChannel;
  const posted = await news.send({ content: 'Subscribe to sequel news?', components: [row({ custom_id: 'subscribe' }, { custom_id: 'off', disabled: true, label: 'Off' })] as never });
  return { fake, client, news, posted };
}

describe('button presses', () => {
  it('dispatch a ButtonInteraction with the message, custom_id, member and ids; an ephemeral reply (type 4, flag 64) reaches the handle', async () => {
    let seen: { customId: string; messageId: string; user: string; manage: boolean | undefined; moderator: boolean } | undefined;
    const { fake, news, posted } = await setup(async (i) => {
      seen = { customId: i.customId, messageId: i.message.id, user: i.user.id, manage: i.memberPermissions?.has(P.ManageGuild), moderator: i.inCachedGuild() && i.member.roles.cache.some((r) => r.name === 'Moderators') };
      await i.reply({ content: 'Subscribed!', flags: MessageFlags.Ephemeral });
    });
    const handle = fake.pressButton({ channelId: news.id, messageId: posted.id, customId: 'subscribe', userId: MOD.id });
    const reply = await handle.reply();
    expect(reply.content).toBe('Subscribed!');
    expect((reply.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(handle.callback?.type).toBe(4);
    expect(seen).toEqual({ customId: 'subscribe', messageId: posted.id, user: MOD.id, manage: true, moderator: true });
    expect(handle.payload).toMatchObject({
      type: 3, guild_id: fake.guild.id, channel_id: news.id, data: { custom_id: 'subscribe', component_type: 2 }, message: { id: posted.id },
      member: { user: { id: MOD.id }, roles: [fake.roleId('Moderators')] },
    });
    expect(reply).toMatchObject({ type: 19, message_reference: { message_id: posted.id }, interaction_metadata: { type: 3, interacted_message_id: posted.id } });
    // Ephemeral: nobody else sees it, so it is not in the channel.
    expect(fake.messages(news.id, { includeInteractions: true }).map((m) => m.id)).toEqual([posted.id]);
  });

  it('update() (type 7) edits the message the button is on, keeping its id', async () => {
    const { fake, news, posted } = await setup((i) => i.update({ content: 'You are subscribed.', components: [] }));
    const updated = await fake.pressButton({ channelId: news.id, messageId: posted.id, customId: 'subscribe' }).messageUpdate();
    expect(updated).toMatchObject({ id: posted.id, content: 'You are subscribed.', components: [] });
    expect(fake.message(news.id, posted.id)?.edited_timestamp).not.toBeNull();
    expect(fake.editCount(posted.id)).toBe(1);
  });

  it('deferUpdate() (type 6) then editReply() edits that message; deferReply() (type 5) then editReply() is a reply', async () => {
    const { fake, news, posted } = await setup(async (i) => {
      if (i.user.id === MOD.id) {
        await i.deferUpdate();
        await i.editReply({ content: 'Updated later' });
      } else {
        await i.deferReply({ flags: MessageFlags.Ephemeral });
        await i.editReply({ content: 'Thinking done' });
      }
    });
    const update = fake.pressButton({ channelId: news.id, messageId: posted.id, customId: 'subscribe', userId: MOD.id });
    expect(await update.messageUpdate()).toMatchObject({ id: posted.id, content: 'Updated later' });
    expect(update.callback?.type).toBe(6);
    const deferred = fake.pressButton({ channelId: news.id, messageId: posted.id, customId: 'subscribe' });
    const reply = await deferred.reply();
    expect(reply.content).toBe('Thinking done');
    expect(reply.id).not.toBe(posted.id);
    expect(deferred.deferred).toBe(true);
    await expect(deferred.messageUpdate({ timeoutMs: 100 })).rejects.toThrow(/callback type 5, not an update/);
  });

  it('refuses an autocomplete result (type 8) to a button press with 50035', async () => {
    const { fake, client, news, posted } = await setup((i) =>
      client!.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 8, data: { choices: [] } }, auth: false }), { interactionWindowMs: 1000 });
    const handle = fake.pressButton({ channelId: news.id, messageId: posted.id, customId: 'subscribe' });
    await expect(handle.acknowledged()).rejects.toThrow(/not acknowledged within 1000 ms/);
    expect(handle.rejected.map((r) => r.code)).toEqual([50035]);
  });

  it('pressButton refuses (as a test error) unknown or disabled buttons and other users’ messages', async () => {
    const { fake, news, posted } = await setup(async () => {});
    expect(() => fake.pressButton({ channelId: news.id, messageId: posted.id, customId: 'nope' })).toThrow(/no button with custom_id "nope"/);
    expect(() => fake.pressButton({ channelId: news.id, messageId: posted.id, customId: 'off' })).toThrow(/disabled/);
    const theirs = fake.postAsUser(news.id, { content: 'x', components: [row({ custom_id: 'subscribe' })] });
    expect(() => fake.pressButton({ channelId: news.id, messageId: theirs.id, customId: 'subscribe' })).toThrow(/not the bot's/);
  });
});

describe('posting buttons', () => {
  it('refuses a custom_id over 100 characters, a missing or duplicated one (50035), already when the message is posted', async () => {
    const { fake, client, news } = await setup(async () => {});
    const post = (components: unknown[]) => client!.rest.post(Routes.channelMessages(news.id), { body: { content: 'x', components } });
    await expect(post([row({ custom_id: 'c'.repeat(101) })])).rejects.toMatchObject({
      status: 400, code: 50035,
      rawError: { errors: { components: { 0: { components: { 0: { custom_id: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' }] } } } } } } },
    });
    await expect(post([row({})])).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(post([row({ custom_id: 'a' }, { custom_id: 'a' })])).rejects.toMatchObject({ status: 400, code: 50035 });
    await post([row({ custom_id: 'c'.repeat(100) }, { style: ButtonStyle.Link, url: 'https://example.com' })]);
    expect(fake.rejected.map((r) => r.reasons[0])).toEqual([
      '/components/0/components/0/custom_id must NOT have more than 100 characters',
      '/components/0/components/0/custom_id This field is required',
      '/components/0/components/1/custom_id Component custom id cannot be duplicated',
    ]);
    expect(fake.messages(news.id)).toHaveLength(2);
  });
});
