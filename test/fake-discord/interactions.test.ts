// Slash commands, autocomplete and command registration through the fake, with the real discord.js Client.
import { Events, MessageFlags, PermissionFlagsBits, Routes, type Client, type Interaction } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/bot-process.ts';
import { loginTestClient } from './client.ts';
import { MODERATOR_PERMISSIONS, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from './server.ts';

let fake: FakeDiscord | undefined;
let client: Client<true> | undefined;

async function setup(onInteraction: (i: Interaction) => Promise<unknown>, options: FakeDiscordOptions = {}) {
  fake = await startFakeDiscord(options);
  client = await loginTestClient(fake);
  client.on(Events.InteractionCreate, (i) => void onInteraction(i).catch(() => {}));
  return { fake, client };
}

afterEach(async () => {
  await client?.destroy();
  await fake?.close();
  client = fake = undefined;
});

describe('slash commands', () => {
  it('dispatches a ChatInputCommandInteraction and resolves the handle with the reply', async () => {
    const seen: Interaction[] = [];
    const { fake } = await setup(async (i) => {
      seen.push(i);
      if (i.isChatInputCommand()) await i.reply({ content: 'Alita 2 is coming', flags: MessageFlags.Ephemeral });
    });
    const reply = await fake.sendCommand({ name: 'latest', options: { topic: 'cast' } }).reply();
    expect(reply.content).toBe('Alita 2 is coming');
    expect((reply.flags ?? 0) & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const i = seen[0]!;
    expect(i.isChatInputCommand() && i.options.getString('topic')).toBe('cast');
    expect(i.guildId).toBe(fake.guild.id);
    expect(i.channelId).toBe(fake.channelId('general'));
    // Default member: an ordinary user without Manage Server.
    expect(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)).toBe(false);
  });

  it('follows registered definitions: subcommands, typed options, permissions', async () => {
    let summary = '';
    const { fake, client } = await setup(async (i) => {
      if (!i.isChatInputCommand()) return;
      summary = `${i.options.getSubcommand()} ${i.options.getInteger('count')} ${i.memberPermissions?.has('ManageGuild')}`;
      await i.reply('ok');
    });
    await client.application.commands.set([{
      name: 'quote', description: 'A quote from Alita',
      options: [{ type: 1, name: 'random', description: 'Random quote', options: [{ type: 4, name: 'count', description: 'How many' }] }],
    }], fake.guild.id);
    expect(fake.commands(fake.guild.id).map((c) => c.name)).toEqual(['quote']);
    const handle = fake.sendCommand({ name: 'quote', subcommand: 'random', options: { count: 3 }, memberPermissions: MODERATOR_PERMISSIONS });
    await handle.reply();
    expect(summary).toBe('random 3 true');
    expect(handle.payload.data).toMatchObject({ id: fake.commands(fake.guild.id)[0]!.id, guild_id: fake.guild.id });
  });

  it('supports deferReply + editReply, and follow-ups', async () => {
    const { fake } = await setup(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply();
      await i.editReply({ embeds: [{ title: 'Latest news' }] });
      await i.followUp('and one more thing');
    });
    const handle = fake.sendCommand({ name: 'latest' });
    const reply = await handle.reply();
    expect(handle.deferred).toBe(true);
    expect(reply.embeds[0]?.title).toBe('Latest news');
    const [followUp] = await handle.waitForFollowUps(1);
    expect(followUp?.content).toBe('and one more thing');
    expect(fake.messages(fake.channelId('general'), { includeInteractions: true })).toHaveLength(2);
  });

  it('refuses a second callback with 40060 and a late one with 10062', async () => {
    const errors: unknown[] = [];
    const again = (i: Interaction, content: string) => client!.rest
      .post(Routes.interactionCallback(i.id, i.token), { body: { type: 4, data: { content } }, auth: false })
      .catch((e: unknown) => errors.push(e));
    const { fake } = await setup(async (i) => {
      if (!i.isChatInputCommand()) return;
      if (i.commandName === 'slow') await new Promise((r) => setTimeout(r, 1500));
      if (i.commandName === 'twice') await i.reply('first');
      await again(i, 'second');
    }, { interactionWindowMs: 1000 });
    const twice = fake.sendCommand({ name: 'twice' });
    await expect(twice.reply()).resolves.toMatchObject({ content: 'first' });
    await expect(fake.sendCommand({ name: 'slow' }).reply()).rejects.toThrow(/not acknowledged within 1000 ms/);
    // The slow handler answers after the window, whenever a busy machine lets it.
    await eventually(() => errors.length >= 2, 30_000, () => JSON.stringify(errors));
    expect(errors).toMatchObject([{ status: 400, code: 40060 }, { status: 404, code: 10062 }]);
    expect(twice.rejected.map((r) => r.code)).toEqual([40060]);
  });

  it('rejects an invalid reply body with 50035 and leaves the interaction unanswered', async () => {
    const { fake } = await setup(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'x'.repeat(2001) });
    }, { interactionWindowMs: 1000 });
    const handle = fake.sendCommand({ name: 'latest' });
    await expect(handle.reply()).rejects.toThrow(/50035.*\/data\/content/);
  });
});

describe('autocomplete', () => {
  it('round-trips interaction.respond() choices', async () => {
    const { fake } = await setup(async (i) => {
      if (!i.isAutocomplete()) return;
      const typed = i.options.getFocused();
      await i.respond(['Alita', 'Alita 2'].filter((n) => n.startsWith(typed)).map((n) => ({ name: n, value: n })));
    });
    const choices = await fake.sendAutocomplete({ name: 'quote', focused: 'movie', value: 'Alita' });
    expect(choices).toEqual([{ name: 'Alita', value: 'Alita' }, { name: 'Alita 2', value: 'Alita 2' }]);
  });

  it('rejects more than 25 choices', async () => {
    const { fake } = await setup(async (i) => {
      if (!i.isAutocomplete()) return;
      await i.respond(Array.from({ length: 26 }, (_, n) => ({ name: `q${n}`, value: `q${n}` })));
    }, { interactionWindowMs: 1000 });
    const handle = fake.dispatchAutocomplete({ name: 'quote', focused: 'movie', value: '' });
    await expect(handle.choices()).rejects.toThrow(/not acknowledged/);
    expect(handle.rejected[0]?.reasons).toEqual(['/data/choices must NOT have more than 25 items']);
  });
});

describe('command registration', () => {
  it('bulk-overwrites commands, keeps ids of unchanged names, rejects invalid definitions', async () => {
    const { fake, client } = await setup(async () => {});
    const first = await client.application.commands.set([{ name: 'latest', description: 'Latest sequel news' }]);
    const second = await client.application.commands.set([
      { name: 'latest', description: 'Latest news', defaultMemberPermissions: PermissionFlagsBits.ManageGuild },
      { name: 'quote', description: 'A quote' },
    ]);
    expect(second.get(first.first()!.id)?.name).toBe('latest');
    expect(fake.commands().map((c) => [c.name, c.default_member_permissions])).toEqual([['latest', '32'], ['quote', null]]);
    const bad = [{ name: 'Latest', description: '' }];
    await expect(client.rest.put(Routes.applicationCommands(fake.applicationId), { body: bad }))
      .rejects.toMatchObject({ status: 400, code: 50035 });
    expect(fake.rejected[0]?.reasons).toEqual(['/0/name Command name is invalid: "Latest"', '/0/description This field is required']);
  });
});
