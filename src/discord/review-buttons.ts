/**
 * The quote review's buttons. Every press is checked again, whatever its custom_id says: the
 * candidate must be this server's, and the member must have Manage Server here now. A decision
 * changes a candidate only while it is pending, so two moderators pressing at once decide it once.
 */
import { MessageFlags, PermissionFlagsBits, type ButtonInteraction } from 'discord.js';
import type { BotContext } from '../bot/context.ts';
import { quoteId } from '../bot/quote-ids.ts';
import { parseReviewButton, quoteFromCandidate, reviewReply, REVIEW_PREFIX } from '../bot/quote-review.ts';
import { fitReply } from '../bot/reply-limits.ts';
import { escapeDiscordText } from '../engine/format.ts';
import { truncateAtWord } from '../engine/text.ts';

export function isReviewButton(customId: string): boolean {
  return customId.startsWith(REVIEW_PREFIX);
}

const privately = (content: string) => ({ content, flags: MessageFlags.Ephemeral as const, allowedMentions: { parse: [] as [] } });

export async function pressReview(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const action = parseReviewButton(interaction.customId);
  const guildId = interaction.guildId;
  if (!action || !guildId) return void (await interaction.reply(privately('This button is not one the bot knows any more.')));
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    return void (await interaction.reply(privately('Only members with Manage Server can review quotes.')));
  }
  const candidate = await ctx.candidates.get(guildId, action.id);
  if (!candidate) return void (await interaction.reply(privately('That quotation is not waiting in this server’s review.')));
  let note: string;
  if (candidate.state !== 'pending') {
    note = `That quotation was ${candidate.state} already.`;
  } else if (action.kind === 'speaker') {
    const person = ctx.people.people[action.person];
    if (!person) return void (await interaction.reply(privately('That person is not in data/people.json any more.')));
    await ctx.candidates.setSpeaker(guildId, candidate.id, person.name);
    note = `Speaker changed to ${person.name}.`;
    ctx.logger.info('quote candidate speaker changed', { guild: guildId, candidate: candidate.id, speaker: person.name, by: interaction.user.id });
  } else if (action.kind === 'reject') {
    note = (await ctx.candidates.decide(guildId, candidate.id, 'rejected', interaction.user.id, ctx.clock())) ? 'Rejected: it will not be proposed again.' : 'Another moderator decided it first.';
    ctx.logger.info('quote candidate rejected', { guild: guildId, candidate: candidate.id, by: interaction.user.id });
  } else {
    // The quote first, then the decision: a crash in between leaves it pending, and approving it
    // again writes the same quote id (no second copy).
    const quote = quoteFromCandidate(candidate, ctx.people, interaction.user.id, quoteId(candidate.speaker, candidate.published.slice(0, 10), candidate.text, candidate.link ?? candidate.itemId));
    if ((await ctx.quotes.add(guildId, quote, ctx.config.MAX_QUOTES)) === 'limit') {
      note = `Not approved: this server already has ${ctx.config.MAX_QUOTES} quotes of its own. Remove one with /quotes remove first.`;
    } else {
      const decided = await ctx.candidates.decide(guildId, candidate.id, 'approved', interaction.user.id, ctx.clock());
      note = decided ? `Approved: “${escapeDiscordText(truncateAtWord(quote.text, 80))}” is now one of this server’s /quote quotes.` : 'Another moderator decided it first.';
      ctx.logger.info('quote candidate approved', { guild: guildId, candidate: candidate.id, quote: quote.id, by: interaction.user.id });
    }
  }
  const { candidate: next, pending } = await ctx.candidates.next(guildId);
  const reply = fitReply(reviewReply(next, pending, ctx.people, note));
  await interaction.update({ content: reply.content ?? '', embeds: reply.embeds ?? [], components: reply.components ?? [], allowedMentions: { parse: [] } });
}
