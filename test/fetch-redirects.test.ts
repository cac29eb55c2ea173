import { describe, it, expect } from 'vitest';
import { documentText } from '../src/engine/charset.ts';
import type { FetchOptions } from '../src/engine/fetch.ts';
import { BadSourceError, BlockedAddressError, FeedHttpError, TooManyRedirectsError } from '../src/engine/errors.ts';
import { redirect, routes, serve, type Handler } from './support/http-server.ts';
import { feedServerPerTest } from './support/feed-server.ts';

const FEED = '<rss version="2.0"><channel><title>Alita</title></channel></rss>';
const local = feedServerPerTest();

/** /hop/N redirects to /hop/N-1; /hop/0 serves the feed. */
const chain: Handler = (req, res) => {
  const n = Number(/^\/hop\/(\d+)$/.exec(req.url ?? '')?.[1]);
  if (n > 0) res.writeHead(302, { Location: `/hop/${n - 1}` }).end();
  else res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(FEED);
};

const fetchFrom = (handler: Handler, path: string, options: FetchOptions = {}) => local.fetchFrom(handler, options, path);

describe('fetchFeed redirects', () => {
  it('follows 5 redirects and reports the final URL', async () => {
    const result = await fetchFrom(chain, '/hop/5');
    expect(result.kind === 'fetched' && documentText(result.body)).toBe(FEED);
    expect(result).toMatchObject({ kind: 'fetched', url: `${local.server?.url}/hop/0` });
    expect(local.server?.requests).toHaveLength(6);
  });

  it('gives up after the sixth redirect', async () => {
    const err = await fetchFrom(chain, '/hop/6').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRedirectsError);
    expect((err as TooManyRedirectsError).code).toBe('too-many-redirects');
  });

  it('honours a smaller maxRedirects', async () => {
    await expect(fetchFrom(chain, '/hop/2', { maxRedirects: 1 })).rejects.toBeInstanceOf(TooManyRedirectsError);
  });

  it('stops a redirect loop', async () => {
    await expect(fetchFrom(redirect('/feed.xml'), '/feed.xml')).rejects.toBeInstanceOf(TooManyRedirectsError);
  });

  it.each([301, 302, 303, 307, 308])('follows a %i with a relative Location', async (status) => {
    const handler = routes({ '/a/old.xml': redirect('../new.xml', status), '/new.xml': serve(FEED) });
    const result = await fetchFrom(handler, '/a/old.xml');
    expect(result.kind === 'fetched' && documentText(result.body)).toBe(FEED);
    expect(result).toMatchObject({ kind: 'fetched', url: `${local.server?.url}/new.xml` });
  });

  it('reads a Location sent as raw UTF-8 bytes as UTF-8, as browsers do, and one that is not UTF-8 as latin1', async () => {
    // Header strings go out as latin1 bytes: the UTF-8 bytes of the path, unescaped.
    const raw = (path: string) => Buffer.from(path, 'utf8').toString('latin1');
    const handler = routes({
      '/old.xml': (_req, res) => void res.writeHead(301, { Location: raw('/café/ネタ.xml') }).end(),
      '/caf%C3%A9/%E3%83%8D%E3%82%BF.xml': serve(FEED),
      '/latin.xml': (_req, res) => void res.writeHead(301, { Location: '/caf\u00e9.xml' }).end(),
      '/caf%C3%A9.xml': serve(FEED),
    });
    const utf8 = await fetchFrom(handler, '/old.xml');
    expect(utf8).toMatchObject({ kind: 'fetched', url: `${local.server?.url}/caf%C3%A9/%E3%83%8D%E3%82%BF.xml` });
    // One byte é (0xE9) is no UTF-8: read as latin1 é, then escaped as UTF-8 by the URL parser.
    const latin = await fetchFrom(handler, '/latin.xml');
    expect(latin).toMatchObject({ kind: 'fetched', url: `${local.server?.url}/caf%C3%A9.xml` });
  });

  it.each(['ftp://example.com/feed.xml', 'file:///etc/passwd', 'javascript:alert(1)'])(
    'refuses a redirect to %s',
    async (location) => {
      const err = await fetchFrom(redirect(location), '/feed.xml').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BadSourceError);
      expect((err as BadSourceError).code).toBe('bad-source');
    },
  );

  it('treats a redirect status without Location as an HTTP error', async () => {
    const handler: Handler = (_req, res) => void res.writeHead(302).end();
    const err = await fetchFrom(handler, '/feed.xml').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FeedHttpError);
    expect((err as FeedHttpError).status).toBe(302);
  });

  it('runs checkUrl on every hop and propagates its BlockedAddressError', async () => {
    const checked: string[] = [];
    const checkUrl = (url: URL) => {
      checked.push(url.pathname);
      if (url.pathname === '/internal') throw new BlockedAddressError('blocked address 169.254.169.254');
    };
    const handler = routes({ '/feed.xml': redirect('/internal'), '/internal': serve('secret') });
    const err = await fetchFrom(handler, '/feed.xml', { checkUrl }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect(checked).toEqual(['/feed.xml', '/internal']);
    expect(local.server?.requests.map((r) => r.url)).toEqual(['/feed.xml']); // never connected to the blocked hop
  });

  it('lets an async checkUrl block the first URL too', async () => {
    const checkUrl = async () => {
      throw new BlockedAddressError('loopback');
    };
    await expect(fetchFrom(serve(FEED), '/feed.xml', { checkUrl })).rejects.toBeInstanceOf(BlockedAddressError);
    expect(local.server?.requests).toHaveLength(0);
  });
});
