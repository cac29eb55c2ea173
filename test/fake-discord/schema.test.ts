// discord-schema.ts: Discord's OpenAPI schema plus the limits it cannot express.
import { describe, expect, it } from 'vitest';
import {
  toDiscordErrors, messageIssues, validateCommandsBody, validateInteractionCallbackBody, validateMessageBody,
  validateRequestBody, validateRoute, validateWebhookMessageBody,
} from '../support/discord-schema.ts';

const embed = (chars: number) => ({ description: 'd'.repeat(chars) });

describe('validateMessageBody (POST /channels/{id}/messages)', () => {
  it('accepts what discord.js sends for a typical announcement', () => {
    expect(validateMessageBody({
      content: 'New sequel news!', allowed_mentions: { parse: ['roles'], roles: ['123'] }, nonce: '1', enforce_nonce: true,
      embeds: [{ title: 'Alita 2', url: 'https://example.com/a', color: 0xc0392b, timestamp: new Date().toISOString(),
        fields: [{ name: 'Source', value: 'Deadline', inline: true }], footer: { text: 'Alita Army' }, author: { name: 'News' } }],
    })).toEqual([]);
  });

  it('reports schema violations with their instance path', () => {
    expect(validateMessageBody({ embeds: [{ title: 't'.repeat(257), url: 'not a url' }] })).toEqual([
      '/embeds/0/url must match format "uri"', '/embeds/0/title must NOT have more than 256 characters',
    ]);
    expect(validateMessageBody({ content: 'x', allowed_mentions: { parse: ['all'] } })[0])
      .toBe('/allowed_mentions/parse/0 must be equal to one of the allowed values (["users","roles","everyone"])');
  });

  it('enforces the limits the schema cannot express', () => {
    expect(validateMessageBody({ embeds: [embed(4096), embed(1904)] })).toEqual([]);
    expect(validateMessageBody({ embeds: [embed(4096), embed(1905)] })).toEqual(['/embeds Embed size exceeds maximum size of 6000 (got 6001)']);
    // Title, field names/values, footer text and author name count too.
    expect(validateMessageBody({ embeds: [{ title: 't'.repeat(256), description: 'd'.repeat(4096), footer: { text: 'f'.repeat(1600) },
      fields: [{ name: 'n', value: 'v'.repeat(47) }], author: { name: 'a' } }] })).toHaveLength(1); // 6001
    expect(validateMessageBody({ content: 'c'.repeat(2001) })).toEqual(['/content Must be 2000 or fewer in length.']);
    expect(validateMessageBody({ content: '🤖'.repeat(2000) })).toEqual([]); // code points, like Discord
    expect(validateMessageBody({ embeds: Array.from({ length: 11 }, () => embed(1)) })).toEqual(['/embeds Must be 10 or fewer in length.']);
    expect(validateMessageBody({ content: '   ' })).toEqual(['(root) Cannot send an empty message']);
  });

  it('builds the nested errors object of a 50035 response', () => {
    expect(toDiscordErrors(messageIssues({ embeds: [{ title: 't'.repeat(300) }] }))).toEqual({
      embeds: { 0: { title: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 256 or fewer in length.' }] } } },
    });
  });
});

describe('interaction callbacks and webhook messages', () => {
  it('validates by callback type', () => {
    expect(validateInteractionCallbackBody({ type: 4, data: { content: 'hi', flags: 64 } })).toEqual([]);
    expect(validateInteractionCallbackBody({ type: 5, data: { flags: 0 } })).toEqual([]);
    expect(validateInteractionCallbackBody({ type: 4, data: {} })).toEqual(['/data Cannot send an empty message']);
    expect(validateInteractionCallbackBody({ type: 3 })[0]).toMatch(/^\/type must be equal to one of the allowed values/);
    expect(validateInteractionCallbackBody({ type: 4, data: { embeds: [{ title: 7 }] } })).toEqual(['/data/embeds/0/title must be string,null']);
  });

  it('limits autocomplete results to 25 choices of the right shape', () => {
    const choices = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, value: `v${i}` }));
    expect(validateInteractionCallbackBody({ type: 8, data: { choices: choices(25) } })).toEqual([]);
    expect(validateInteractionCallbackBody({ type: 8, data: { choices: choices(26) } })).toEqual(['/data/choices must NOT have more than 25 items']);
    expect(validateInteractionCallbackBody({ type: 8, data: { choices: [{ name: '', value: 'v' }] } }))
      .toEqual(['/data/choices/0/name must NOT have fewer than 1 characters']);
  });

  it('checks follow-ups (must not be empty) and edits (may be partial)', () => {
    expect(validateWebhookMessageBody({}, 'execute')).toEqual(['(root) Cannot send an empty message']);
    expect(validateWebhookMessageBody({}, 'edit')).toEqual([]);
    expect(validateWebhookMessageBody({ embeds: [embed(4096), embed(2000)] }, 'edit')).toHaveLength(1);
  });
});

describe('application commands (bulk overwrite)', () => {
  it('accepts discord.js output, including permissions as a string', () => {
    expect(validateCommandsBody([{
      name: 'latest', description: 'Latest news', type: 1, default_member_permissions: '32', dm_permission: false,
      options: [{ type: 3, name: 'topic', description: 'Topic', required: false, autocomplete: true }],
    }])).toEqual([]);
  });

  it('rejects what Discord rejects', () => {
    expect(validateCommandsBody([
      { name: 'Latest', description: '' },
      { name: 'quote', description: 'q', options: [{ type: 3, name: 'a', description: 'a' }, { type: 4, name: 'b', description: 'b', required: true }] },
      { name: 'quote', description: 'again' },
    ])).toEqual([
      '/0/name Command name is invalid: "Latest"', '/0/description This field is required',
      '/1/options/1/required Required options must be placed before non-required options',
      '/2/name Application command names must be unique ("quote")',
    ]);
  });
});

describe('validateRoute and validateRequestBody', () => {
  it('finds the operation in spec.paths and validates its JSON body', () => {
    expect(validateRoute('PUT', '/api/v10/applications/1/guilds/2/commands', [{ name: 'x'.repeat(33), description: 'd' }]))
      .toContain('/0/name must NOT have more than 32 characters');
    expect(validateRoute('PATCH', '/webhooks/1/tok/messages/@original', { content: 'c'.repeat(2001) })).toHaveLength(1);
    expect(validateRoute('GET', '/users/@me', undefined)).toEqual([]);
  });

  it('checks a forum post against the forum branch of create_thread, and its message like a new message', () => {
    // The spec's other branch (a thread without message) alone would accept both bodies.
    expect(validateRoute('POST', '/channels/1/threads', { name: 'n', applied_tags: ['1', '2', '3', '4', '5', '6'], message: { content: 'x' } }))
      .toEqual(['/applied_tags must NOT have more than 5 items']);
    expect(validateRoute('POST', '/channels/1/threads', { name: 'n', message: { content: 'c'.repeat(2001) } })).toEqual(['/message/content Must be 2000 or fewer in length.']);
    expect(validateRoute('POST', '/channels/1/threads', { name: 'thread without message', type: 11 })).toEqual([]);
  });

  it('checks buttons: custom_id length (schema), required unless a link, unique in the message', () => {
    const buttons = (...b: Record<string, unknown>[]) => ({ components: [{ type: 1, components: b.map((x) => ({ type: 2, style: 1, label: 'l', ...x })) }] });
    expect(validateMessageBody(buttons({ custom_id: 'a'.repeat(100) }, { style: 5, url: 'https://example.com' }))).toEqual([]);
    expect(validateMessageBody(buttons({ custom_id: 'a'.repeat(101) }))).toEqual(['/components/0/components/0/custom_id must NOT have more than 100 characters']);
    expect(validateMessageBody(buttons({}, { style: 5 }))).toEqual(['/components/0/components/0/custom_id This field is required', '/components/0/components/1/url This field is required']);
    expect(validateMessageBody(buttons({ custom_id: 'a' }, { custom_id: 'a' }))).toEqual(['/components/0/components/1/custom_id Component custom id cannot be duplicated']);
  });

  it('validates against any component schema by name', () => {
    expect(validateRequestBody('RichEmbedField', { name: 'n' })).toEqual(['/value must have required property \'value\'']);
    expect(() => validateRequestBody('NoSuchSchema', {})).toThrow(/No schema or operation named/);
  });
});
