import feeds from '../../commands/feeds.ts';
import latest from '../../commands/latest.ts';
import quote from '../../commands/quote.ts';
import quotes from '../../commands/quotes.ts';
import setup from '../../commands/setup.ts';
import help from '../../commands/help.ts';
import status from '../../commands/status.ts';
import type { Command } from '../bot/command.ts';

/** Every slash command, one file each in commands/. */
export const allCommands: Command[] = [latest, quote, status, feeds, quotes, setup, help];
