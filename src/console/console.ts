import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Command } from '../bot/command.ts';
import type { BotContext } from '../bot/context.ts';
import type { AnnouncePort } from '../bot/delivery.ts';
import { runConsoleCommand } from './commands.ts';
import { renderAnnouncement, renderReply } from './render.ts';

export const CONSOLE_CHANNEL = 'console';

/** Announcements printed as cards instead of posted: the same outbox and delivery path. */
export function consolePort(out: Writable): AnnouncePort {
  return {
    async send(channelId, body) {
      out.write(`${renderAnnouncement(channelId, body)}\n\n`);
    },
  };
}

/** Answers slash commands typed on `input` until it ends; resolves then. */
export function startConsoleCommands(input: Readable, out: Writable, commands: Command[], ctx: BotContext): Promise<void> {
  const byName = new Map(commands.map((c) => [c.data.name, c]));
  const lines = createInterface({ input, terminal: false });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (!line.trim()) return;
    // One command at a time, answered in the order typed.
    queue = queue.then(async () => {
      out.write(`${renderReply(await runConsoleCommand(line, byName, ctx))}\n\n`);
    });
  });
  return new Promise((resolve) => lines.once('close', () => void queue.then(resolve)));
}
