// /help: the commands this member can use, one line each.
import { describe, expect, it } from 'vitest';
import help from '../commands/help.ts';
import { allCommands } from '../src/app/commands.ts';
import type { CommandRequest } from '../src/bot/command.ts';

const request = (canManageGuild: boolean): CommandRequest => ({ name: 'help', options: {}, guildId: '111111111111111111', userId: '444444444444444444', canManageGuild });

describe('/help', () => {
  it('lists what every member can use, one line each, privately', async () => {
    const reply = await help.execute(request(false));
    expect(reply.ephemeral).toBe(true);
    const text = reply.content ?? '';
    expect(text).toContain('`/latest` — The newest Alita sequel news the bot has found');
    expect(text).toContain('`/quote` — ');
    expect(text).toContain('`/status` — ');
    expect(text).not.toMatch(/\/setup|\/feeds|\/quotes /);
    expect(text).toContain('Moderators (Manage Server) also see how to set the bot up.');
  });

  it('adds the moderator commands, a line per subcommand, for members with Manage Server', async () => {
    const text = (await help.execute(request(true))).content ?? '';
    for (const line of ['`/setup` — ', '`/feeds add` — ', '`/feeds remove` — ', '`/feeds list` — ', '`/quotes add` — ', '`/quotes remove` — ', '`/quotes review` — ', '`/quotes queue` — ']) expect(text).toContain(line);
    expect(text.split('\n').filter((l) => l.startsWith('`/'))).toHaveLength(3 + 1 + 3 + 4);
  });

  it('names every registered command but itself', async () => {
    const named = new Set([...((await help.execute(request(true))).content ?? '').matchAll(/`\/(\w+)/g)].map((m) => m[1]));
    expect([...named].sort()).toEqual(allCommands.map((c) => c.data.name).filter((n) => n !== 'help').sort());
  });
});
