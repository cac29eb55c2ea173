/**
 * DNS rebinding: a name that resolves to a public address when checked and to loopback when
 * connected to. The guard must judge the address the socket connects to.
 *
 * No traffic may leave the machine. Every socket here goes to a 127.0.0.1 test server: the one
 * public answer a resolver gives is consumed by a check that never connects (and the resolver
 * throws if asked for it again), and the unguarded test lookup refuses anything but loopback.
 */
import type { LookupFunction } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchOptionsFor } from '../src/bot/create-context.ts';
import { loadBotConfig } from '../src/config.ts';
import { addressVerdict, assertPublicUrl, publicOnlyAgent, publicOnlyConnect, type Resolver } from '../src/engine/address-guard.ts';
import { BlockedAddressError, FeedTimeoutError } from '../src/engine/errors.ts';
import { fetchFeed, type FetchOptions } from '../src/engine/fetch.ts';
import { redirect, serve, startHttpServer, type Handler, type TestServer } from './support/http-server.ts';
import { SHORT_TIMEOUT_MS } from './support/feed-server.ts';

const FEED = '<rss version="2.0"><channel><title>Alita</title></channel></rss>';
const PUBLIC = '93.184.215.14';
const LOOPBACK_REFUSAL = 'loopback addresses are not allowed (set ALLOW_PRIVATE_FEEDS=true to allow)';

let servers: TestServer[] = [];
let agents: Agent[] = [];
afterEach(async () => {
  // destroy, not close: a connection still waiting on a hung lookup would hold close() for undici's connect timeout.
  await Promise.all([...servers.map((s) => s.close()), ...agents.map((a) => a.destroy())]);
  servers = [];
  agents = [];
});
const server = async (handler: Handler) => {
  const started = await startHttpServer(handler);
  servers.push(started);
  return started;
};
const agent = (made: Agent) => {
  agents.push(made);
  return made;
};
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

/** Answers PUBLIC once, then 127.0.0.1: what an attacker's DNS server with a short TTL does. */
function rebindingDns(): Resolver & { answered: string[] } {
  const answered: string[] = [];
  const resolve = async (host: string) => {
    const address = answered.length === 0 ? PUBLIC : '127.0.0.1';
    answered.push(`${host} ${address}`);
    return [{ address, family: 4 }];
  };
  return Object.assign(resolve, { answered });
}

/** The guard as it was: judge the name's addresses, then let fetch resolve it again. */
const checkBeforeConnecting = (resolve: Resolver) => async (url: URL) => {
  assertPublicUrl(url);
  for (const { address } of await resolve(url.hostname)) {
    if (addressVerdict(address)) throw new BlockedAddressError(`refusing ${address}`);
  }
};

/** A lookup without the guard, for the stand-ins below; it will not hand out a non-loopback address. */
function loopbackOnly(resolve: Resolver): LookupFunction {
  return (host, options, callback) => {
    resolve(host).then((answers) => {
      const stray = answers.find((a) => !/^127\./.test(a.address));
      if (stray) return callback(new Error(`test bug: would connect to ${stray.address}`), '', 0);
      if (options.all) callback(null, answers);
      else callback(null, answers[0]!.address, answers[0]!.family);
    }, (error: Error) => callback(error, '', 0));
  };
}

describe('DNS rebinding', () => {
  it('reaches loopback when the check runs before fetch resolves again (the bug, for the record)', async () => {
    const target = await server(serve(FEED));
    const dns = rebindingDns();
    const unguarded = agent(new Agent({ connect: { lookup: loopbackOnly(dns) } }));
    const options: FetchOptions = { checkUrl: checkBeforeConnecting(dns), dispatcher: unguarded, timeoutMs: 30_000 };
    await fetchFeed(`http://rebind.example.com:${target.port}/feed.xml`, options);
    expect(dns.answered).toEqual([`rebind.example.com ${PUBLIC}`, 'rebind.example.com 127.0.0.1']);
    expect(target.requests).toHaveLength(1);
  });

  it('is refused when the guard runs in the lookup the connection uses', async () => {
    const target = await server(serve(FEED));
    const dns = rebindingDns();
    const options: FetchOptions = { checkUrl: checkBeforeConnecting(dns), dispatcher: agent(publicOnlyAgent(dns)), timeoutMs: 30_000 };
    const error = await failure(fetchFeed(`http://rebind.example.com:${target.port}/feed.xml`, options));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toBe(`refusing rebind.example.com (127.0.0.1): ${LOOPBACK_REFUSAL}`);
    // The first (public) answer went to the check; the refused one is the one the socket asked for.
    expect(dns.answered).toEqual([`rebind.example.com ${PUBLIC}`, 'rebind.example.com 127.0.0.1']);
    expect(target.requests).toHaveLength(0);
  });

  it('refuses a redirect to a name that resolves to loopback at that hop', async () => {
    const internal = await server(serve('secret'));
    const site = await server(redirect(`http://rebind.example.com:${internal.port}/admin`));
    const dns: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    // feeds.example.com stands in for a public site, so it alone connects without the guard.
    const standIn = buildConnector({ lookup: loopbackOnly(dns) });
    const guarded = publicOnlyConnect(dns);
    const dispatcher = agent(new Agent({ connect: (opts, cb) => (opts.hostname === 'feeds.example.com' ? standIn : guarded)(opts, cb) }));
    const error = await failure(fetchFeed(`http://feeds.example.com:${site.port}/feed.xml`, { dispatcher, timeoutMs: 30_000 }));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toBe(`refusing rebind.example.com (127.0.0.1): ${LOOPBACK_REFUSAL}`);
    expect(site.requests.map((r) => r.url)).toEqual(['/feed.xml']);
    expect(internal.requests).toHaveLength(0);
  });

  it('refuses a literal private address in the dispatcher itself, with no lookup and no check before', async () => {
    const target = await server(serve(FEED));
    const asked: string[] = [];
    const dispatcher = agent(publicOnlyAgent(async (host) => {
      asked.push(host);
      return [];
    }));
    const error = await failure(fetchFeed(`${target.url}/feed.xml`, { dispatcher, timeoutMs: 30_000 }));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toBe(`refusing 127.0.0.1: ${LOOPBACK_REFUSAL}`);
    expect(asked).toEqual([]);
    expect(target.requests).toHaveLength(0);
  });

  it('keeps the deadline while the connection waits for DNS', async () => {
    const dispatcher = agent(publicOnlyAgent(() => new Promise(() => {})));
    const error = await failure(fetchFeed('http://slow-dns.example.com/feed.xml', { dispatcher, timeoutMs: SHORT_TIMEOUT_MS }));
    expect(error).toBeInstanceOf(FeedTimeoutError);
  });
});

describe('fetchOptionsFor: which feeds are guarded', () => {
  const guarded = fetchOptionsFor(loadBotConfig({}), false);

  it('guards a feed added from Discord, literal addresses and local names alike', async () => {
    const target = await server(serve(FEED));
    const literal = await failure(fetchFeed(`${target.url}/feed.xml`, { ...guarded, timeoutMs: 30_000 }));
    expect((literal as Error).message).toBe(`refusing 127.0.0.1: ${LOOPBACK_REFUSAL}`);
    // Without the URL check, the shared dispatcher still refuses at connect time.
    const named = await failure(fetchFeed(`http://localhost:${target.port}/feed.xml`, { ...guarded, checkUrl: undefined, timeoutMs: 30_000 }));
    expect(named).toBeInstanceOf(BlockedAddressError);
    expect((named as Error).message).toContain('refusing localhost: local host names are not allowed');
    expect(target.requests).toHaveLength(0);
  });

  it.each([
    ['an operator feed', fetchOptionsFor(loadBotConfig({}), true)],
    ['any feed with ALLOW_PRIVATE_FEEDS=true', fetchOptionsFor(loadBotConfig({ ALLOW_PRIVATE_FEEDS: 'true' }), false)],
  ])('lets %s reach loopback', async (_label, options) => {
    expect(options.dispatcher).toBeUndefined();
    const target = await server(serve(FEED));
    const result = await fetchFeed(`${target.url}/feed.xml`, { ...options, timeoutMs: 30_000 });
    expect(result.kind).toBe('fetched');
    expect(target.requests).toHaveLength(1);
  });
});
