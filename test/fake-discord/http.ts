// Request parsing and response writing shared by the REST routes.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface UploadedFile { field: string; name: string; size: number; contentType: string }

export interface ParsedBody {
  json: unknown;
  files: UploadedFile[];
  /** Set when the body could not be parsed at all (Discord answers 50109 / 400). */
  error?: string;
}

async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** JSON bodies, and multipart bodies as discord.js sends them with files (payload_json + files[n]). */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const raw = await readRaw(req);
  if (raw.length === 0) return { json: undefined, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    try {
      const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
      const files: UploadedFile[] = [];
      let json: unknown;
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') json = JSON.parse(value);
        } else {
          files.push({ field, name: value.name, size: value.size, contentType: value.type });
        }
      }
      return { json, files };
    } catch (error) {
      return { json: undefined, files: [], error: String(error) };
    }
  }
  try {
    return { json: JSON.parse(raw.toString('utf8')), files: [] };
  } catch (error) {
    return { json: undefined, files: [], error: String(error) };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Discord's error body; a 429 has `retry_after` and `global` instead of a code. */
export interface ErrorBody { code?: number; message: string; errors?: unknown; retry_after?: number; global?: boolean }

export class HttpError extends Error {
  constructor(readonly status: number, readonly body: ErrorBody, readonly headers: Record<string, string> = {}) {
    super(body.message);
  }
}

export const errors = {
  unauthorized: () => new HttpError(401, { message: '401: Unauthorized', code: 0 }),
  notFound: () => new HttpError(404, { message: '404: Not Found', code: 0 }),
  unknownChannel: () => new HttpError(404, { message: 'Unknown Channel', code: 10003 }),
  unknownGuild: () => new HttpError(404, { message: 'Unknown Guild', code: 10004 }),
  unknownMember: () => new HttpError(404, { message: 'Unknown Member', code: 10007 }),
  unknownMessage: () => new HttpError(404, { message: 'Unknown Message', code: 10008 }),
  unknownRole: () => new HttpError(404, { message: 'Unknown Role', code: 10011 }),
  unknownWebhook: () => new HttpError(404, { message: 'Unknown Webhook', code: 10015 }),
  unknownCommand: () => new HttpError(404, { message: 'Unknown application command', code: 10063 }),
  unknownInteraction: () => new HttpError(404, { message: 'Unknown interaction', code: 10062 }),
  alreadyCrossposted: () => new HttpError(400, { message: 'This message has already been crossposted', code: 40033 }),
  forumChannel: () => new HttpError(400, { message: 'Cannot send a message in a forum channel', code: 40058 }),
  tagRequired: () => new HttpError(400, { message: 'A tag is required to create a forum post in this channel', code: 40067 }),
  alreadyAcknowledged: () => new HttpError(400, { message: 'Interaction has already been acknowledged.', code: 40060 }),
  missingAccess: () => new HttpError(403, { message: 'Missing Access', code: 50001 }),
  cannotEditOthers: () => new HttpError(403, { message: 'Cannot edit a message authored by another user', code: 50005 }),
  missingPermissions: () => new HttpError(403, { message: 'Missing Permissions', code: 50013 }),
  emptyMessage: () => new HttpError(400, { message: 'Cannot send an empty message', code: 50006 }),
  nonTextChannel: () => new HttpError(400, { message: 'Cannot send messages in a non-text channel', code: 50008 }),
  wrongChannelType: () => new HttpError(400, { message: 'Cannot execute action on this channel type', code: 50024 }),
  rateLimited: (retryAfter: number, headers: Record<string, string>) =>
    new HttpError(429, { message: 'You are being rate limited.', retry_after: retryAfter, global: false }, headers),
  badJson: () => new HttpError(400, { message: 'The request body contains invalid JSON.', code: 50109 }),
  invalidForm: (errs: unknown) => new HttpError(400, { message: 'Invalid Form Body', code: 50035, errors: errs }),
};
