import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { fetchFeed, USER_AGENT, type FetchResult } from '../src/engine/fetch.ts';
import { documentText } from '../src/engine/charset.ts';
import { BadSourceError } from '../src/engine/errors.ts';
import { serve, type Handler } from './support/http-server.ts';
import { feedServerPerTest } from './support/feed-server.ts';

const FEED = '<rss version="2.0"><channel><title>Alita 2</title></channel></rss>';
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const local = feedServerPerTest();
const fetchFrom = local.fetchFrom;
/** The result with its body decoded, as analyzeDocument will decode it. */
const withText = (result: FetchResult) => (result.kind === 'fetched' ? { ...result, text: documentText(result.body) } : result);

describe('fetchFeed over HTTP', () => {
  it('sends a User-Agent naming the bot and an Accept preferring feeds', async () => {
    const result = await fetchFrom(serve(FEED));
    expect(withText(result)).toMatchObject({ kind: 'fetched', text: FEED, url: `${local.server?.url}/feed.xml` });
    const headers = local.server?.requests[0]?.headers;
    expect(headers?.['user-agent']).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/AlitaArmyNewsBot\/[\d.]+ \(\+https:\/\/github\.com\/alita-army\//);
    expect(headers?.accept).toMatch(/^application\/rss\+xml, application\/atom\+xml/);
  });

  it("returns the server's validators (no bodyHash before they are tried), and a custom User-Agent when asked", async () => {
    const result = await fetchFrom(serve(FEED, { ETag: '"v1"', 'Last-Modified': 'Tue, 01 Apr 2025 10:00:00 GMT' }), {
      userAgent: 'custom/1.0',
    });
    expect(result.validators).toEqual({ etag: '"v1"', lastModified: 'Tue, 01 Apr 2025 10:00:00 GMT' });
    expect(local.server?.requests[0]?.headers['user-agent']).toBe('custom/1.0');
  });

  it('returns an empty 200 body as empty text', async () => {
    expect(withText(await fetchFrom(serve('')))).toMatchObject({ kind: 'fetched', text: '' });
  });

  it('decompresses a gzip body', async () => {
    const result = await fetchFrom(serve(gzipSync(FEED), { 'Content-Encoding': 'gzip' }));
    expect(withText(result)).toMatchObject({ kind: 'fetched', text: FEED });
  });
});

describe('fetchFeed conditional GET', () => {
  const conditional: Handler = (req, res) => {
    const fresh = req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] === 'Tue, 01 Apr 2025 10:00:00 GMT';
    if (fresh) return void res.writeHead(304).end();
    res.writeHead(200, { ETag: '"v1"', 'Last-Modified': 'Tue, 01 Apr 2025 10:00:00 GMT' }).end(FEED);
  };

  it('answers unchanged on a 304 for If-None-Match and keeps the old validators', async () => {
    const validators = { etag: '"v1"', bodyHash: 'abc' };
    expect(await fetchFrom(conditional, { validators })).toEqual({ kind: 'unchanged', validators });
    expect(local.server?.requests[0]?.headers['if-none-match']).toBe('"v1"');
  });

  it('answers unchanged on a 304 for If-Modified-Since', async () => {
    const validators = { lastModified: 'Tue, 01 Apr 2025 10:00:00 GMT' };
    expect(await fetchFrom(conditional, { validators })).toMatchObject({ kind: 'unchanged', validators });
    expect(local.server?.requests[0]?.headers['if-modified-since']).toBe(validators.lastModified);
  });

  it('detects an identical body by hash when the server ignores validators', async () => {
    const server = await local.start(serve(FEED));
    const first = await fetchFeed(`${server.url}/feed.xml`);
    const second = await fetchFeed(`${server.url}/feed.xml`, { validators: first.validators });
    expect(first.kind).toBe('fetched');
    expect(second).toEqual({ kind: 'unchanged', validators: first.validators });
  });

  it('hashes the body of a server that ignores its own validators from its second answer on, then tells it unchanged', async () => {
    const server = await local.start(serve(FEED, { ETag: '"v1"' }));
    const url = `${server.url}/feed.xml`;
    const first = await fetchFeed(url);
    expect(first).toMatchObject({ kind: 'fetched', validators: { etag: '"v1"' } });
    expect(first.validators.bodyHash).toBeUndefined();
    // A 200 to a conditional request: the server ignored it, or the feed changed. Read, and hashed.
    const second = await fetchFeed(url, { validators: first.validators });
    expect(second.kind).toBe('fetched');
    expect(second.validators).toEqual({ etag: '"v1"', bodyHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await fetchFeed(url, { validators: second.validators })).toEqual({ kind: 'unchanged', validators: second.validators });
    expect(server.requests.map((r) => r.headers['if-none-match'])).toEqual([undefined, '"v1"', '"v1"']);
  });

  it('fetches a changed body', async () => {
    const result = await fetchFrom(serve(`${FEED} `), { validators: { etag: '"old"', bodyHash: 'f'.repeat(64) } });
    expect(withText(result)).toMatchObject({ kind: 'fetched', text: `${FEED} ` });
    expect(result.validators.bodyHash).not.toBe('f'.repeat(64));
  });
});

describe('fetchFeed charsets over HTTP', () => {
  const title = (text: string) => /<title>(.*)<\/title>/.exec(text)?.[1];
  const body = (decl: string) => latin1(`${decl}<rss><channel><title>Rodríguez</title></channel></rss>`);
  const cases: Array<[string, Buffer, string]> = [
    ['Latin-1 by Content-Type', body(''), 'application/rss+xml; charset=ISO-8859-1'],
    ['Latin-1 by XML declaration only', body('<?xml version="1.0" encoding="ISO-8859-1"?>'), 'application/rss+xml'],
    ['an unknown charset label', Buffer.from('<rss><channel><title>Rodríguez</title></channel></rss>'), 'text/xml; charset=x-klingon'],
    ['a header lying "utf-8"', body('<?xml version="1.0" encoding="iso-8859-1"?>'), 'text/xml; charset=utf-8'],
  ];
  it.each(cases)('decodes %s', async (_label, bytes, contentType) => {
    const result = await fetchFrom(serve(bytes, { 'Content-Type': contentType }));
    expect(result.kind === 'fetched' && title(documentText(result.body))).toBe('Rodríguez');
  });

  it('decodes GB2312', async () => {
    const gb = Buffer.concat([Buffer.from('<rss><channel><title>'), Buffer.from('B0A2C0F6CBFE', 'hex'), Buffer.from('</title></channel></rss>')]);
    const result = await fetchFrom(serve(gb, { 'Content-Type': 'application/rss+xml; charset=gb2312' }));
    expect(result.kind === 'fetched' && title(documentText(result.body))).toBe('阿丽塔');
  });
});

describe('fetchFeed sources', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fetch-test-'));
    await writeFile(join(dir, 'feed.xml'), body());
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  function body() {
    return latin1('<?xml version="1.0" encoding="iso-8859-1"?><rss><title>Rodríguez</title></rss>');
  }

  it.each([
    ['an absolute path', () => join(dir, 'feed.xml')],
    ['a relative path', () => relative(process.cwd(), join(dir, 'feed.xml'))],
    ['a file: URL', () => pathToFileURL(join(dir, 'feed.xml')).href],
  ])('reads %s with charset decoding and a bodyHash-only validator', async (_label, source) => {
    const result = await fetchFeed(source());
    expect(withText(result)).toMatchObject({ kind: 'fetched', text: expect.stringContaining('Rodríguez') });
    expect(result.kind === 'fetched' && result.url).toBe(pathToFileURL(join(dir, 'feed.xml')).href);
    expect(Object.keys(result.validators)).toEqual(['bodyHash']);
    expect(await fetchFeed(source(), { validators: result.validators })).toMatchObject({ kind: 'unchanged' });
  });

  it('applies the byte cap to files', async () => {
    await expect(fetchFeed(join(dir, 'feed.xml'), { maxBytes: 10 })).rejects.toMatchObject({ code: 'too-large' });
  });

  it('rejects a missing file and a directory with BadSourceError', async () => {
    const missing = join(dir, 'nope.xml');
    await expect(fetchFeed(missing)).rejects.toThrow(new BadSourceError(`no such file: ${missing}`));
    await expect(fetchFeed(dir)).rejects.toBeInstanceOf(BadSourceError);
  });

  it.each(['ftp://x', 'ftp://example.com/feed.xml', 'javascript:alert(1)', 'data:text/xml,<rss/>', 'http://', '   '])(
    'rejects %j with BadSourceError',
    async (source) => {
      await expect(fetchFeed(source)).rejects.toBeInstanceOf(BadSourceError);
    },
  );
});
