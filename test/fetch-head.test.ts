/**
 * What undici's fetch did around the body, kept now that fetchFeed uses undici.request: the
 * request headers servers have always seen from the bot, the reason phrase a moderator reads,
 * header values read byte for byte (latin1), and unwanted bodies that never hold a connection.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BadSourceError, FeedHttpError, FeedUnreachableError } from '../src/engine/errors.ts';
import { fetchFeed, USER_AGENT } from '../src/engine/fetch.ts';
import { requestHeaders } from '../src/engine/http-head.ts';
import { feedServerPerTest } from './support/feed-server.ts';
import { every, routes, serve, type Handler } from './support/http-server.ts';

const FEED = '<rss version="2.0"><channel><title>Alita</title></channel></rss>';
const local = feedServerPerTest();
/** The request's header names and values as they came over the wire, Host aside. */
const sent = (raw: string[]) =>
  Array.from({ length: raw.length / 2 }, (_, i) => [raw[2 * i]!.toLowerCase(), raw[2 * i + 1]!]).filter(([name]) => name !== 'host');

describe('fetchFeed request headers', () => {
  it('are the ones fetch sent, in its order', async () => {
    let raw: string[] = [];
    const record: Handler = (req, res) => {
      raw = req.rawHeaders;
      res.writeHead(200).end(FEED);
    };
    await local.fetchFrom(record);
    expect(sent(raw)).toEqual([
      ['connection', 'keep-alive'],
      ['user-agent', USER_AGENT],
      ['accept', 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5'],
      ['accept-language', '*'],
      ['sec-fetch-mode', 'cors'],
      ['accept-encoding', 'gzip, deflate'],
    ]);
  });

  it('ask caches to revalidate on a conditional request, as fetch’s no-store mode did', async () => {
    let raw: string[] = [];
    const record: Handler = (req, res) => {
      raw = req.rawHeaders;
      res.writeHead(304).end();
    };
    // Stored with a stray space: fetch trimmed it.
    await local.fetchFrom(record, { validators: { etag: '"v1" ', lastModified: 'Tue, 01 Apr 2025 10:00:00 GMT' } });
    expect(sent(raw).slice(1)).toEqual([
      ['user-agent', USER_AGENT],
      ['accept', expect.stringMatching(/^application\/rss\+xml/)],
      ['if-none-match', '"v1"'],
      ['if-modified-since', 'Tue, 01 Apr 2025 10:00:00 GMT'],
      ['accept-language', '*'],
      ['sec-fetch-mode', 'cors'],
      ['pragma', 'no-cache'],
      ['cache-control', 'no-cache'],
      ['accept-encoding', 'gzip, deflate'],
    ]);
  });

  it('are never sent to a URL with a user name or password, which fetch refused', async () => {
    const server = await local.start(serve(FEED));
    const url = `${server.url.replace('//', '//user:secret@')}/feed.xml`;
    const err = await fetchFeed(url, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadSourceError);
    expect((err as Error).message).toBe('a feed URL with a user name or password is not fetched');
    expect((err as Error).message).not.toContain('secret');
    expect(server.requests).toHaveLength(0);
  });

  it('offer brotli over HTTPS only, as fetch did', () => {
    expect(requestHeaders(new URL('https://example.com/feed'), USER_AGENT, {})['accept-encoding']).toBe('br, gzip, deflate');
    expect(requestHeaders(new URL('http://example.com/feed'), USER_AGENT, {})['accept-encoding']).toBe('gzip, deflate');
  });
});

describe('fetchFeed response head', () => {
  it.each([
    ['Backend fetch failed', 'HTTP 503 Backend fetch failed'],
    ['', 'HTTP 503'],
  ])('keeps the server’s reason phrase %j', async (reason, message) => {
    const err = await local.fetchFrom((_req, res) => void res.writeHead(503, reason).end('down')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedHttpError);
    expect((err as Error).message).toBe(message);
  });

  it('reads header bytes as latin1 and sends an ETag back byte for byte', async () => {
    const etag = '"caf\u00e9"'; // one byte 0xE9 on the wire, not UTF-8
    const handler: Handler = (req, res) => {
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      res.writeHead(200, { ETag: etag, 'Last-Modified': 'Tue, 01 Apr 2025 10:00:00 GMT' }).end(FEED);
    };
    const server = await local.start(handler);
    const first = await fetchFeed(`${server.url}/feed.xml`, { timeoutMs: 30_000 });
    expect(first.validators.etag).toBe(etag);
    const second = await fetchFeed(`${server.url}/feed.xml`, { timeoutMs: 30_000, validators: { etag, bodyHash: 'stale' } });
    expect(second).toEqual({ kind: 'unchanged', validators: { etag, bodyHash: 'stale' } });
  });

  it('joins a repeated header with ", ", as fetch’s Headers did', async () => {
    const result = await local.fetchFrom((_req, res) => void res.writeHead(200, { ETag: ['"a"', '"b"'] }).end(FEED));
    expect(result.validators.etag).toBe('"a", "b"');
  });

  it('takes the final answer after 103 Early Hints', async () => {
    const hints: Handler = (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.writeHead(200, { ETag: '"final"' }).end(FEED);
    };
    expect(await local.fetchFrom(hints)).toMatchObject({ kind: 'fetched', validators: { etag: '"final"' } });
  });
});

describe('fetchFeed unwanted bodies', () => {
  /** Headers, then a body that trickles forever; `closed` resolves when the client lets the connection go. */
  const endless = (status: number, headers: Record<string, string>) => {
    let closed: Promise<unknown> = new Promise(() => {});
    const handler: Handler = (_req, res) => {
      res.writeHead(status, headers);
      closed = once(res, 'close');
      every(res, 50, () => res.write('<p>more</p>'));
    };
    return { handler, closed: () => closed };
  };

  /** `respond`, counting the connections it is asked on and how many of them closed. */
  const connections = (respond: Handler) => {
    const counts = { closed: 0, sockets: new Set<unknown>() };
    const handler: Handler = (req, res) => {
      if (!counts.sockets.has(req.socket)) req.socket.once('close', () => counts.closed++);
      counts.sockets.add(req.socket);
      return respond(req, res);
    };
    return { handler, counts };
  };

  it('keeps the connection of a redirect whose body came in full', async () => {
    const { handler, counts } = connections((req, res) => {
      if (req.url === '/start') res.writeHead(301, { Location: '/feed.xml' }).end('<p>moved</p>');
      else res.writeHead(200).end(FEED);
    });
    const server = await local.start(handler);
    // The second fetch is a round trip after the first's discard: time for a close to arrive.
    for (let i = 0; i < 2; i++) expect(await fetchFeed(`${server.url}/start`, { timeoutMs: 30_000 })).toMatchObject({ kind: 'fetched' });
    expect(counts.closed).toBe(0);
    expect(counts.sockets.size).toBeLessThanOrEqual(2);
  });

  it('keeps the connection of a 304, poll after poll', async () => {
    const { handler, counts } = connections((_req, res) => void res.writeHead(304, { ETag: '"same"' }).end());
    const server = await local.start(handler);
    for (let i = 0; i < 5; i++) expect(await fetchFeed(`${server.url}/feed.xml`, { timeoutMs: 30_000, validators: { etag: '"same"' } })).toMatchObject({ kind: 'unchanged', validators: { etag: '"same"' } });
    expect(counts.closed).toBe(0);
    // The pool may open a second one while the first is handed back, never one per poll.
    expect(counts.sockets.size).toBeLessThanOrEqual(2);
  });

  it('closes a redirect’s endless body', async () => {
    const hop = endless(302, { Location: '/feed.xml' });
    const result = await local.fetchFrom(routes({ '/start': hop.handler, '/feed.xml': serve(FEED) }), {}, '/start');
    expect(result).toMatchObject({ kind: 'fetched', url: `${local.server?.url}/feed.xml` });
    await hop.closed(); // would wait forever (the test's timeout) were the connection kept
  });

  it('closes an error page’s endless body', async () => {
    const page = endless(500, { 'Content-Type': 'text/html' });
    await expect(local.fetchFrom(page.handler)).rejects.toBeInstanceOf(FeedHttpError);
    await page.closed();
  });
});
