// Interaction callbacks and the interaction webhook (@original edits, follow-ups).
import { errors, HttpError } from './http.ts';
import type { Interactions, InteractionState } from './interactions.ts';
import { makeMessage, type FakeMessage } from './messages.ts';
import type { Call, Route } from './rest.ts';
import type { World } from './world.ts';

const EPHEMERAL = 64;
const LOADING = 128;
/**
 * Callback types Discord accepts per interaction kind: 4 reply, 5 defer, 9 modal, 12 launch activity;
 * 8 autocomplete result; for components also 6 (defer an update) and 7 (update the message).
 */
const ALLOWED: Record<InteractionState['kind'], number[]> = { command: [4, 5, 9, 12], autocomplete: [8], component: [4, 5, 6, 7, 9] };

export function interactionRoutes(world: World, interactions: Interactions): Route[] {
  const callbackState = (c: Call) => interactions.find(c.params.id!, c.params.token!);
  const webhookState = (c: Call) => {
    const s = c.params.app === world.applicationId ? interactions.forWebhook(c.params.token!) : undefined;
    if (!s) throw errors.unknownWebhook();
    return s;
  };
  const isEphemeral = (m: FakeMessage | undefined) => Boolean(((m?.flags as number | undefined) ?? 0) & EPHEMERAL);

  const newMessage = (s: InteractionState, body: Record<string, unknown>, call: Call, type: number): FakeMessage => {
    const user = ((s.payload.member as { user?: unknown } | undefined)?.user ?? s.payload.user) as Record<string, unknown>;
    const common = { id: s.id, type: s.payload.type, user, authorizing_integration_owners: s.payload.authorizing_integration_owners };
    const pressed = s.componentMessage;
    // A reply to a component shows as a reply to the message the component is on.
    const message = makeMessage(pressed && type !== 0 ? { ...body, message_reference: { type: 0, message_id: pressed.id, channel_id: s.channelId, guild_id: s.guildId } } : body, {
      channelId: s.channelId, guildId: s.guildId, author: world.bot, type: pressed && type !== 0 ? 19 : type, webhookId: world.applicationId,
      applicationId: world.applicationId, files: call.files,
      interactionMetadata: pressed ? { ...common, interacted_message_id: pressed.id } : { ...common, name: s.name, command_type: 1 },
    });
    if (!isEphemeral(message)) world.messages.add(message, true);
    else world.messages.addEphemeral(message);
    return message;
  };
  /** Edits keep the ephemeral bit of the original and end its loading state. */
  const edit = (message: FakeMessage, call: Call, body: Record<string, unknown> = call.body) => {
    const ephemeral = (message.flags ?? 0) & EPHEMERAL;
    world.messages.edit(message, body, call.files);
    message.flags = (((message.flags ?? 0) & ~(EPHEMERAL | LOADING)) | ephemeral) as FakeMessage['flags'];
    return message;
  };
  const target = (s: InteractionState, id: string) => {
    const m = id === '@original' ? s.original : s.followUps.find((f) => f.id === id);
    if (!m || (id === '@original' && s.deleted)) throw errors.unknownMessage();
    return m;
  };

  return [
    {
      method: 'POST', pattern: '/interactions/:id/:token/callback', auth: false,
      interaction: (p) => interactions.find(p.id!, p.token!),
      precheck: (c) => {
        const s = callbackState(c);
        if (!s) throw errors.unknownInteraction();
        if (s.callback) throw errors.alreadyAcknowledged();
        if (!interactions.withinWindow(s)) throw errors.unknownInteraction();
        const type = Number(c.body.type);
        if (!ALLOWED[s.kind].includes(type)) {
          throw new HttpError(400, { code: 50035, message: 'Invalid Form Body', errors: { type: { _errors: [{ code: 'INTERACTION_CALLBACK_TYPE_INVALID', message: `Callback type ${type} is not valid for this interaction` }] } } });
        }
      },
      handle: (c) => {
        const s = callbackState(c)!;
        const type = Number(c.body.type);
        const data = (c.body.data ?? undefined) as Record<string, unknown> | undefined;
        s.callback = { type, data, at: Date.now() };
        if (type === 4) s.original = newMessage(s, data ?? {}, c, 20);
        if (type === 5) s.original = newMessage(s, { content: '', flags: (Number(data?.flags ?? 0) & EPHEMERAL) | LOADING }, c, 20);
        // 6 and 7: @original is the message the component is on; 7 edits it right away.
        if (type === 6 || type === 7) s.original = s.componentMessage;
        if (type === 7 && s.original) edit(s.original, c, data ?? {});
        s.notify();
        if (c.query.get('with_response') !== 'true') return { status: 204 };
        const m = s.original;
        return {
          status: 200,
          body: {
            interaction: {
              id: s.id, type: s.payload.type, activity_instance_id: null, response_message_id: m?.id ?? null,
              response_message_loading: type === 5, response_message_ephemeral: isEphemeral(m),
            },
            resource: { type, ...(m ? { message: m } : {}) },
          },
        };
      },
    },
    {
      method: 'POST', pattern: '/webhooks/:app/:token', auth: false,
      interaction: (p) => interactions.forWebhook(p.token!), precheck: (c) => void webhookState(c),
      handle: (c) => {
        const s = webhookState(c);
        // After a defer, the first follow-up replaces the "thinking…" message instead of adding one.
        const fillsOriginal = s.callback?.type === 5 && s.original && s.edits.length === 0 && s.followUps.length === 0;
        const message = fillsOriginal ? edit(s.original!, c) : newMessage(s, c.body, c, 0);
        s.followUps.push(message);
        s.notify();
        return c.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
      },
    },
    {
      method: 'GET', pattern: '/webhooks/:app/:token/messages/:message', auth: false,
      handle: (c) => ({ status: 200, body: target(webhookState(c), c.params.message!) }),
    },
    {
      method: 'PATCH', pattern: '/webhooks/:app/:token/messages/:message', auth: false,
      interaction: (p) => interactions.forWebhook(p.token!),
      precheck: (c) => void target(webhookState(c), c.params.message!),
      handle: (c) => {
        const s = webhookState(c);
        const message = edit(target(s, c.params.message!), c);
        if (c.params.message === '@original') s.edits.push(c.body);
        s.notify();
        return { status: 200, body: message };
      },
    },
    {
      method: 'DELETE', pattern: '/webhooks/:app/:token/messages/:message', auth: false,
      handle: (c) => {
        const s = webhookState(c);
        const message = target(s, c.params.message!);
        world.messages.remove(message.channel_id, message.id);
        if (c.params.message === '@original') s.deleted = true;
        s.notify();
        return { status: 204 };
      },
    },
  ];
}
