// INTERACTION_CREATE type 3 (MESSAGE_COMPONENT): a user presses a button on a message the bot posted.
import { interactionContext, interactionEnvelope, type InteractionInput } from './interaction-payload.ts';
import type { FakeMessage } from './messages.ts';
import type { World } from './world.ts';

export interface ButtonPressInput extends Omit<InteractionInput, 'channelId' | 'guildId' | 'user'> {
  channelId: string;
  messageId: string;
  customId: string;
  /** Default: the world's default user. A known member gets their roles in that guild. */
  userId?: string;
}

type Component = Record<string, unknown>;

function findButton(components: unknown, customId: string): Component | undefined {
  if (!Array.isArray(components)) return undefined;
  for (const c of components as Component[]) {
    if (c.type === 2 && c.custom_id === customId) return c;
    const inner = findButton(c.components, customId) ?? findButton(c.accessory ? [c.accessory] : [], customId);
    if (inner) return inner;
  }
  return undefined;
}

/** Throws (a test mistake, not a Discord refusal) unless the message is the bot's and has that enabled button. */
export function buildButtonPress(world: World, input: ButtonPressInput): ReturnType<typeof interactionEnvelope> & { message: FakeMessage } {
  const found = world.channel(input.channelId);
  if (!found) throw new Error(`fake Discord has no channel ${input.channelId}`);
  const message = world.messages.find(input.channelId, input.messageId);
  if (!message) throw new Error(`fake Discord: no message ${input.messageId} in channel ${input.channelId}`);
  // Discord routes a component interaction to the application that posted the message.
  if (message.author.id !== world.bot.id) throw new Error(`fake Discord: message ${message.id} is not the bot's; its buttons are not the bot's to answer`);
  const button = findButton(message.components, input.customId);
  if (!button) throw new Error(`fake Discord: message ${message.id} has no button with custom_id "${input.customId}"`);
  if (button.disabled === true) throw new Error(`fake Discord: button "${input.customId}" is disabled; users cannot press it`);
  const user = input.userId ? (world.findUser(input.userId) ?? { id: input.userId }) : undefined;
  const ctx = interactionContext(world, { ...input, guildId: found.guild.id, channelId: input.channelId, user });
  const built = interactionEnvelope(world, ctx, input, 3, { custom_id: input.customId, component_type: 2 });
  built.payload.message = structuredClone(message);
  return { ...built, message };
}
