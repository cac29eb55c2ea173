// Validates request bodies against Discord's own OpenAPI 3.1 description of its v10 HTTP API
// (../shared/discord-api/openapi.json), plus the limits Discord enforces that the schema cannot
// express (see that folder's README). Used by the fake Discord so tests fail where Discord would.
import { readFileSync } from 'node:fs';
import _Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import _addFormats from 'ajv-formats';

// ajv and ajv-formats are CommonJS; under NodeNext their real export is `.default`.
const Ajv2020 = _Ajv2020.default;
const addFormats = _addFormats.default;

const SPEC_URL = new URL('../../../shared/discord-api/openapi.json', import.meta.url);
const SPEC_ID = 'discord-openapi';
/** Request bodies are copied into components.schemas under this prefix + operationId. */
const REQUEST_PREFIX = '__request__';

export const LIMITS = {
  contentLength: 2000,
  embedsPerMessage: 10,
  embedTotalChars: 6000,
  autocompleteChoices: 25,
} as const;

/** One reason Discord would refuse a body. `path` is a JSON pointer into the body ('' = root). */
export interface SchemaIssue {
  path: string;
  message: string;
  /** Discord's error code where known (e.g. BASE_TYPE_MAX_LENGTH); EMPTY_MESSAGE maps to 50006. */
  code: string;
  /** Wording Discord uses in a 50035 body, when it differs from `message`. */
  discordMessage?: string;
}

export interface RouteMatch {
  operationId: string;
  template: string;
  params: Record<string, string>;
  hasJsonBody: boolean;
}

type Json = Record<string, unknown>;
interface Spec {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
}

let spec: Spec | undefined;
let ajv: InstanceType<typeof Ajv2020> | undefined;
const compiled = new Map<string, ValidateFunction>();

function load(): { spec: Spec; ajv: InstanceType<typeof Ajv2020> } {
  if (spec && ajv) return { spec, ajv };
  const raw = JSON.parse(readFileSync(SPEC_URL, 'utf8')) as Spec;
  hoistRequestBodies(raw);
  rewrite(raw.components.schemas, raw);
  const instance = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, logger: false, verbose: true });
  addFormats(instance);
  // Discord's custom formats; the schema's own patterns/ranges carry the real constraints.
  instance.addFormat('snowflake', { type: 'string', validate: (s: string) => /^\d+$/.test(s) });
  instance.addFormat('nonce', { type: 'string', validate: () => true });
  instance.addSchema({ $id: SPEC_ID, components: raw.components });
  spec = raw;
  ajv = instance;
  return { spec, ajv };
}

function hoistRequestBodies(raw: Spec): void {
  for (const item of Object.values(raw.paths)) {
    for (const op of Object.values(item)) {
      const opId = op.operationId;
      const content = (op.requestBody as Json | undefined)?.content as Json | undefined;
      const schema = (content?.['application/json'] as Json | undefined)?.schema;
      if (typeof opId === 'string' && schema) raw.components.schemas[REQUEST_PREFIX + opId] = schema as Json;
    }
  }
}

function resolveRef(raw: Spec, ref: unknown): Json | undefined {
  const m = typeof ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(ref) : null;
  return m ? raw.components.schemas[m[1]!] : undefined;
}

/**
 * Rewrites that make the spec behave like Discord instead of like its literal text:
 * - unions discriminated by an integer `type` (interaction callbacks, command options) become
 *   if/then chains, so an error names the branch that `type` selects instead of every branch;
 *   ajv's own `discriminator` keyword only supports string tags.
 * - permission bit sets are integers in the spec but strings on the wire (discord.js sends
 *   `default_member_permissions: "32"`, which Discord accepts).
 */
function rewrite(node: unknown, raw: Spec, key = ''): void {
  if (Array.isArray(node)) return node.forEach((n) => rewrite(n, raw));
  if (!node || typeof node !== 'object') return;
  const obj = node as Json;
  discriminate(obj, raw);
  const types = ([] as unknown[]).concat(obj.type ?? []);
  if (/permissions$|^(allow|deny)$/.test(key) && types.includes('integer')) {
    const original = { ...obj };
    for (const k of Object.keys(obj)) delete obj[k];
    obj.anyOf = [original, { type: 'string', pattern: '^[0-9]{1,20}$' }];
    return;
  }
  const props = obj.properties as Json | undefined;
  for (const v of Object.values(obj)) {
    if (props && v === props) for (const [name, sub] of Object.entries(props)) rewrite(sub, raw, name);
    else rewrite(v, raw);
  }
}

function discriminate(obj: Json, raw: Spec): void {
  const unionKey = Array.isArray(obj.oneOf) ? 'oneOf' : Array.isArray(obj.anyOf) ? 'anyOf' : undefined;
  // Enumerations are spelled as a oneOf of titled consts; as an enum the error lists the allowed values.
  if (unionKey && (obj[unionKey] as unknown[]).every((b) => isObject(b) && 'const' in b)) {
    obj.enum = (obj[unionKey] as Json[]).map((b) => b.const);
    delete obj[unionKey];
    return;
  }
  if (!unionKey || Object.keys(obj).some((k) => ![unionKey, 'x-discord-union', 'description'].includes(k))) return;
  const branches: { ref: string; values: unknown[] }[] = [];
  for (const b of obj[unionKey] as Json[]) {
    const target = resolveRef(raw, b.$ref);
    const tag = (target?.properties as Json | undefined)?.type as Json | undefined;
    const values = Array.isArray(tag?.enum) ? tag.enum : tag && 'const' in tag ? [tag.const] : undefined;
    const required = Array.isArray(target?.required) && target.required.includes('type');
    if (Object.keys(b).length !== 1 || target?.type !== 'object' || !values || !required) return;
    branches.push({ ref: b.$ref as string, values });
  }
  const all = branches.flatMap((b) => b.values);
  if (new Set(all).size !== all.length) return;
  delete obj[unionKey];
  delete obj['x-discord-union'];
  Object.assign(obj, {
    type: 'object',
    required: ['type'],
    properties: { type: { enum: all } },
    allOf: branches.map((b) => ({ if: { properties: { type: { enum: b.values } } }, then: { $ref: b.ref } })),
  });
}

function validator(schemaName: string): ValidateFunction {
  const cached = compiled.get(schemaName);
  if (cached) return cached;
  const { spec: raw, ajv: instance } = load();
  const name = raw.components.schemas[schemaName] ? schemaName : REQUEST_PREFIX + schemaName;
  if (!raw.components.schemas[name]) throw new Error(`No schema or operation named "${schemaName}" in openapi.json`);
  const fn = instance.compile({ $ref: `${SPEC_ID}#/components/schemas/${encodeURIComponent(name)}` });
  compiled.set(schemaName, fn);
  return fn;
}

const DISCORD_MESSAGES: Record<string, (p: Record<string, unknown>) => [string, string]> = {
  maxLength: (p) => ['BASE_TYPE_MAX_LENGTH', `Must be ${p.limit} or fewer in length.`],
  maxItems: (p) => ['BASE_TYPE_MAX_LENGTH', `Must be ${p.limit} or fewer in length.`],
  minLength: (p) => ['BASE_TYPE_MIN_LENGTH', `Must be ${p.limit} or more in length.`],
  minItems: (p) => ['BASE_TYPE_MIN_LENGTH', `Must be ${p.limit} or more in length.`],
  required: () => ['BASE_TYPE_REQUIRED', 'This field is required'],
};

function toIssue(e: ErrorObject): SchemaIssue {
  const params = e.params as Record<string, unknown>;
  const path = e.keyword === 'required' ? `${e.instancePath}/${String(params.missingProperty)}` : e.instancePath;
  const allowed = params.allowedValues ?? params.allowedValue;
  const detail = allowed !== undefined ? ` (${JSON.stringify(allowed)})` : '';
  const message = `${e.message ?? e.keyword}${detail}`;
  const [code, discordMessage] = DISCORD_MESSAGES[e.keyword]?.(params) ?? [`INVALID_${e.keyword.toUpperCase()}`, message];
  return { path, message, code, discordMessage };
}

const isUnder = (path: string, base: string) => path === base || path.startsWith(`${base}/`);
const isNullBranch = (b: unknown) => isObject(b) && b.type === 'null' && Object.keys(b).length === 1;

function errorsFor(schemaName: string, data: unknown, prefix = ''): ErrorObject[] {
  const fn = validator(schemaName);
  if (fn(data)) return [];
  return explainUnions([...(fn.errors ?? [])]).map((e) => ({ ...e, instancePath: prefix + e.instancePath }));
}

/**
 * ajv reports a failed union with the errors of every branch, which reads as nonsense ("value must
 * be integer" next to "value must be number" for a string choice). Re-validates the union's value
 * against each $ref branch and keeps only the branch that came closest.
 */
function explainUnions(errors: ErrorObject[]): ErrorObject[] {
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  const unions = errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf').sort((a, b) => depth(a) - depth(b));
  let result = errors;
  for (const u of unions) {
    if (!result.includes(u) || !Array.isArray(u.schema)) continue;
    const names = (u.schema as unknown[]).filter((b) => !isNullBranch(b)).map((b) =>
      isObject(b) && Object.keys(b).length === 1 ? /^#\/components\/schemas\/(.+)$/.exec(String(b.$ref))?.[1] : undefined);
    if (names.length === 0 || names.some((n) => !n)) continue;
    let best: ErrorObject[] | undefined;
    for (const name of names) {
      const errs = errorsFor(name!, u.data, u.instancePath);
      if (!best || errs.length < best.length) best = errs;
    }
    if (!best?.length) continue;
    result = [...result.filter((e) => !isUnder(e.instancePath, u.instancePath)), ...best];
  }
  return result;
}

/** Drops bookkeeping errors (if/then, the null branch of a nullable union) and duplicates. */
function prune(errors: ErrorObject[]): ErrorObject[] {
  const meaningful = errors.filter((e) => e.keyword !== 'if' &&
    !(e.keyword === 'type' && (e.params as { type?: unknown }).type === 'null'));
  const seen = new Set<string>();
  return (meaningful.length ? meaningful : errors).filter((e) => {
    const k = `${e.instancePath}|${e.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** Schema issues for `body` against a component schema name or an operationId's JSON request body. */
export function schemaIssues(schemaName: string, body: unknown): SchemaIssue[] {
  return prune(errorsFor(schemaName, body)).map(toIssue);
}

export function formatIssues(issues: SchemaIssue[]): string[] {
  return issues.map((i) => `${i.path || '(root)'} ${i.message}`);
}

export function validateRequestBody(schemaName: string, body: unknown): string[] {
  return formatIssues(schemaIssues(schemaName, body));
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Discord (like ajv's maxLength) counts code points, so an emoji is one character, not two. */
function chars(v: unknown): number {
  return [...str(v)].length;
}

/** Discord counts these characters towards the 6000 limit, summed over every embed of a message. */
export function embedTextLength(embed: unknown): number {
  if (!isObject(embed)) return 0;
  const fields = Array.isArray(embed.fields) ? embed.fields : [];
  const fieldChars = fields.reduce<number>((n, f) => n + (isObject(f) ? chars(f.name) + chars(f.value) : 0), 0);
  const footer = isObject(embed.footer) ? chars(embed.footer.text) : 0;
  const author = isObject(embed.author) ? chars(embed.author.name) : 0;
  return chars(embed.title) + chars(embed.description) + fieldChars + footer + author;
}

export interface MessageRuleOptions {
  /** Edits may leave everything out; creations may not. */
  requireContent?: boolean;
  /** Files uploaded alongside (multipart) make an otherwise empty message non-empty. */
  fileCount?: number;
}

/** The message limits from the README that the schema cannot express. */
export function messageRuleIssues(body: unknown, options: MessageRuleOptions = {}, base = ''): SchemaIssue[] {
  if (!isObject(body)) return [];
  const issues: SchemaIssue[] = [];
  const content = str(body.content);
  if (chars(content) > LIMITS.contentLength) {
    issues.push({ path: `${base}/content`, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${LIMITS.contentLength} or fewer in length.` });
  }
  const embeds = Array.isArray(body.embeds) ? body.embeds : [];
  if (embeds.length > LIMITS.embedsPerMessage) {
    issues.push({ path: `${base}/embeds`, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${LIMITS.embedsPerMessage} or fewer in length.` });
  }
  const total = embeds.reduce<number>((n, e) => n + embedTextLength(e), 0);
  if (total > LIMITS.embedTotalChars) {
    issues.push({ path: `${base}/embeds`, code: 'MAX_EMBED_SIZE_EXCEEDED', message: `Embed size exceeds maximum size of ${LIMITS.embedTotalChars} (got ${total})` });
  }
  issues.push(...componentIssues(body.components, `${base}/components`));
  const nonEmptyArray = (k: string) => Array.isArray(body[k]) && (body[k] as unknown[]).length > 0;
  const hasSomething = content.trim().length > 0 || ['embeds', 'sticker_ids', 'components', 'attachments'].some(nonEmptyArray) ||
    isObject(body.poll) || (options.fileCount ?? 0) > 0;
  if (options.requireContent && !hasSomething) {
    issues.push({ path: base, code: 'EMPTY_MESSAGE', message: 'Cannot send an empty message' });
  }
  return issues;
}

/** Every component of a message (rows, sections' accessories, containers), with its JSON pointer. */
function eachComponent(components: unknown, base: string, visit: (c: Json, path: string) => void): void {
  if (!Array.isArray(components)) return;
  components.forEach((c, i) => {
    if (!isObject(c)) return;
    const at = `${base}/${i}`;
    visit(c, at);
    eachComponent(c.components, `${at}/components`, visit);
    if (isObject(c.accessory)) visit(c.accessory, `${at}/accessory`);
  });
}

const LINK_BUTTON = 5;
const PREMIUM_BUTTON = 6;

/**
 * What the schema cannot say about buttons and selects: interactive ones need a custom_id (link
 * buttons a url instead), and custom_ids must be unique within the message. Length (1-100) is in
 * the schema.
 */
function componentIssues(components: unknown, base: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  eachComponent(components, base, (c, path) => {
    const interactive = (c.type === 2 && c.style !== LINK_BUTTON && c.style !== PREMIUM_BUTTON) || [3, 5, 6, 7, 8].includes(c.type as number);
    if (c.type === 2 && c.style === LINK_BUTTON && typeof c.url !== 'string') {
      issues.push({ path: `${path}/url`, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    }
    if (!interactive) return;
    if (typeof c.custom_id !== 'string') {
      issues.push({ path: `${path}/custom_id`, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      return;
    }
    if (seen.has(c.custom_id)) {
      issues.push({ path: `${path}/custom_id`, code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
    }
    seen.add(c.custom_id);
  });
  return issues;
}

/**
 * POST /channels/{forum}/threads: a forum post. The spec's anyOf with the message-less thread body
 * would let anything through (that branch ignores `message` and `applied_tags`), so a body with a
 * `message` is checked against the forum branch, and its message like any new message.
 */
export function forumThreadIssues(body: unknown, fileCount = 0): SchemaIssue[] {
  const issues = schemaIssues('CreateForumThreadRequest', body);
  if (isObject(body) && isObject(body.message)) issues.push(...messageRuleIssues(body.message, { requireContent: true, fileCount }, '/message'));
  return dedupe(issues);
}

function autocompleteIssues(data: unknown, base: string): SchemaIssue[] {
  const choices = isObject(data) && Array.isArray(data.choices) ? data.choices : [];
  return choices.length > LIMITS.autocompleteChoices
    ? [{ path: `${base}/choices`, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${LIMITS.autocompleteChoices} or fewer in length.` }]
    : [];
}

// The rules go first: the schema allows 4000 characters of content (user accounts), bots get 2000.
export function messageIssues(body: unknown, options: MessageRuleOptions = { requireContent: true }): SchemaIssue[] {
  return dedupe([...messageRuleIssues(body, options), ...schemaIssues('MessageCreateRequest', body)]);
}

/** POST /channels/{id}/messages. */
export function validateMessageBody(body: unknown, options?: MessageRuleOptions): string[] {
  return formatIssues(messageIssues(body, options));
}

export function interactionCallbackIssues(body: unknown, fileCount = 0): SchemaIssue[] {
  const issues = schemaIssues('create_interaction_response', body);
  if (!isObject(body)) return issues;
  if (body.type === 4) issues.push(...messageRuleIssues(body.data ?? {}, { requireContent: true, fileCount }, '/data'));
  if (body.type === 7) issues.push(...messageRuleIssues(body.data, {}, '/data'));
  if (body.type === 8) issues.push(...autocompleteIssues(body.data, '/data'));
  return dedupe(issues);
}

/** POST /interactions/{id}/{token}/callback: types 4 (reply), 5 (defer), 7 (update), 8 (autocomplete), 9 (modal)… */
export function validateInteractionCallbackBody(body: unknown): string[] {
  return formatIssues(interactionCallbackIssues(body));
}

export function webhookMessageIssues(body: unknown, mode: 'execute' | 'edit', fileCount = 0): SchemaIssue[] {
  const opId = mode === 'execute' ? 'execute_webhook' : 'update_original_webhook_message';
  return dedupe([...schemaIssues(opId, body), ...messageRuleIssues(body, { requireContent: mode === 'execute', fileCount })]);
}

/** POST /webhooks/{app}/{token} (follow-up, mode 'execute') and PATCH …/messages/@original (mode 'edit'). */
export function validateWebhookMessageBody(body: unknown, mode: 'execute' | 'edit'): string[] {
  return formatIssues(webhookMessageIssues(body, mode));
}

// Discord's documented name rule for CHAT_INPUT commands and options (lowercase where a case exists).
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function optionIssues(options: unknown, base: string): SchemaIssue[] {
  if (!Array.isArray(options)) return [];
  const issues: SchemaIssue[] = [];
  const names = new Set<string>();
  let optionalSeen = false;
  const kinds = new Set<string>();
  options.forEach((o, i) => {
    if (!isObject(o)) return;
    const at = `${base}/${i}`;
    const name = str(o.name);
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      issues.push({ path: `${at}/name`, code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid: "${name}"` });
    }
    if (names.has(name)) issues.push({ path: `${at}/name`, code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', message: `Option name "${name}" is already used` });
    names.add(name);
    const sub = o.type === 1 || o.type === 2;
    kinds.add(sub ? 'sub' : 'value');
    if (!sub && o.required === true && optionalSeen) {
      issues.push({ path: `${at}/required`, code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (!sub && o.required !== true) optionalSeen = true;
    if (o.autocomplete === true && Array.isArray(o.choices) && o.choices.length > 0) {
      issues.push({ path: `${at}/autocomplete`, code: 'APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES', message: 'Autocomplete cannot be enabled on options with choices' });
    }
    if (sub) issues.push(...optionIssues(o.options, `${at}/options`));
  });
  if (kinds.size > 1) issues.push({ path: base, code: 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', message: 'Subcommands and subcommand groups cannot be mixed with other options' });
  return issues;
}

export function commandsIssues(body: unknown): SchemaIssue[] {
  const issues = schemaIssues('bulk_set_application_commands', body);
  if (!Array.isArray(body)) return issues;
  const seen = new Set<string>();
  body.forEach((c, i) => {
    if (!isObject(c)) return;
    const type = typeof c.type === 'number' ? c.type : 1;
    const key = `${type}:${str(c.name)}`;
    if (seen.has(key)) issues.push({ path: `/${i}/name`, code: 'APPLICATION_COMMAND_ALREADY_EXISTS', message: `Application command names must be unique ("${str(c.name)}")` });
    seen.add(key);
    if (type !== 1) return;
    const name = str(c.name);
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      issues.push({ path: `/${i}/name`, code: 'APPLICATION_COMMAND_INVALID_NAME', message: `Command name is invalid: "${name}"` });
    }
    if (str(c.description).length < 1) issues.push({ path: `/${i}/description`, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    issues.push(...optionIssues(c.options, `/${i}/options`));
  });
  return dedupe(issues);
}

/** PUT /applications/{app}/commands and /applications/{app}/guilds/{guild}/commands (bulk overwrite). */
export function validateCommandsBody(body: unknown): string[] {
  return formatIssues(commandsIssues(body));
}

/** Autocomplete result data ({ choices }), i.e. the `data` of a type 8 callback. */
export function validateAutocompleteChoices(data: unknown): string[] {
  return formatIssues(interactionCallbackIssues({ type: 8, data }));
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(`${i.path}|${i.code}`) ? false : (seen.add(`${i.path}|${i.code}`), true)));
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Finds the spec operation for a request path (with or without the /api/v10 prefix and query). */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const { spec: raw } = load();
  const clean = path.replace(/\?.*$/, '').replace(/^\/api(\/v\d+)?/, '').replace(/\/$/, '');
  const segments = clean.split('/');
  let best: (RouteMatch & { literals: number }) | undefined;
  for (const [template, item] of Object.entries(raw.paths)) {
    const op = item[method.toLowerCase()];
    const parts = template.split('/');
    if (!op || parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    const ok = parts.every((p, i) => {
      const seg = safeDecode(segments[i]!);
      const param = /^\{(.+)\}$/.exec(p);
      if (param) return (params[param[1]!] = seg), seg.length > 0;
      literals++;
      return p === seg;
    });
    if (ok && (!best || literals > best.literals)) {
      const opId = String(op.operationId);
      best = { operationId: opId, template, params, literals, hasJsonBody: Boolean(raw.components.schemas[REQUEST_PREFIX + opId]) };
    }
  }
  if (!best) return undefined;
  const { literals: _literals, ...match } = best;
  return match;
}

/** Issues for a request: schema of the operation's JSON body plus Discord's unwritten rules for it. */
export function routeIssues(method: string, path: string, body: unknown, fileCount = 0): SchemaIssue[] {
  const match = matchRoute(method, path);
  if (!match?.hasJsonBody) return [];
  switch (match.operationId) {
    case 'create_message':
      return messageIssues(body, { requireContent: true, fileCount });
    case 'create_interaction_response':
      return interactionCallbackIssues(body, fileCount);
    case 'execute_webhook':
      return webhookMessageIssues(body, 'execute', fileCount);
    case 'update_original_webhook_message':
    case 'update_webhook_message':
    case 'update_message':
      return dedupe([...schemaIssues(match.operationId, body), ...messageRuleIssues(body)]);
    case 'bulk_set_application_commands':
    case 'bulk_set_guild_application_commands':
      return commandsIssues(body);
    case 'create_thread':
      return isObject(body) && 'message' in body ? forumThreadIssues(body, fileCount) : schemaIssues(match.operationId, body);
    default:
      return schemaIssues(match.operationId, body);
  }
}

/**
 * Compiles the validators of these routes now rather than on their first request: ajv's first
 * compile of a big schema (a message, an interaction callback) takes 100–250 ms, which a benchmark
 * running the fake in the bot's own process must not count as the bot's.
 */
export function precompileRoutes(routes: readonly (readonly [method: string, path: string])[]): void {
  for (const [method, path] of routes) routeIssues(method, path, {});
}

/** Generic entry point: validates any JSON body against the operation the spec defines for method + path. */
export function validateRoute(method: string, path: string, body: unknown): string[] {
  return formatIssues(routeIssues(method, path, body));
}

/** Discord's nested `errors` object of a 50035 response, e.g. { embeds: { 0: { title: { _errors: [...] } } } }. */
export function toDiscordErrors(issues: SchemaIssue[]): Record<string, unknown> {
  const root: Json = {};
  for (const issue of issues) {
    let node = root;
    for (const seg of issue.path.split('/').slice(1)) node = (node[seg] ??= {}) as Json;
    ((node._errors ??= []) as unknown[]).push({ code: issue.code, message: issue.discordMessage ?? issue.message });
  }
  return root;
}
