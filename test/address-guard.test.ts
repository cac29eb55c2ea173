import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { addressVerdict, assertPublicUrl, embeddedIPv4, publicOnlyLookup, type Resolver } from '../src/engine/address-guard.ts';
import { BadSourceError, BlockedAddressError, FeedUnreachableError } from '../src/engine/errors.ts';

/** A resolver that knows only the names it is given, so no test touches the network. */
function fakeDns(table: Record<string, string[]>): Resolver & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (host: string) => {
    asked.push(host);
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return Object.assign(lookup, { asked });
}

/** What assertPublicUrl throws for `url`, judged from the URL alone (it never resolves names). */
function refusal(url: string): unknown {
  try {
    assertPublicUrl(new URL(url));
    return undefined;
  } catch (error) {
    return error;
  }
}

/** Calls the guarded lookup the way net.connect does, and returns what it handed back. */
function lookUp(host: string, resolve: Resolver, options: LookupOptions = { all: true }): Promise<LookupAddress[] | LookupAddress> {
  return new Promise((done, fail) => {
    publicOnlyLookup(resolve)(host, options, (error, address, family) => {
      if (error) fail(error);
      else done(typeof address === 'string' ? { address, family: family ?? 0 } : address);
    });
  });
}

const refusalOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('assertPublicUrl: literal addresses', () => {
  it('gives a moderator a one-line reason with the way out', async () => {
    const error = await refusal('http://127.0.0.1:8080/feed.xml');
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toBe('refusing 127.0.0.1: loopback addresses are not allowed (set ALLOW_PRIVATE_FEEDS=true to allow)');
  });

  it.each([
    ['http://127.0.0.1/', 'loopback'],
    ['http://127.255.255.254/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://10.1.2.3/', 'private'],
    ['http://172.16.0.1/', 'private'],
    ['http://172.31.255.255/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fc00::1]/', 'private'],
    ['http://[fd12:3456::1]/', 'private'],
    ['http://169.254.1.1/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[febf::1]/', 'link-local'],
    ['http://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['http://[fd00:ec2::254]/', 'cloud metadata'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://100.100.100.200/', 'carrier-grade NAT'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://239.255.255.250/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://192.0.2.10/', 'reserved'],
    ['http://[2001:db8::1]/', 'reserved'],
  ])('refuses %s (%s)', async (url, kind) => {
    const error = await refusal(url);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as BlockedAddressError).code).toBe('blocked-address');
    expect((error as Error).message).toContain(kind);
  });

  it.each([
    // new URL normalises these spellings of 127.0.0.1 before the guard sees them.
    'http://2130706433/',
    'http://0x7f.1/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://127.1/',
    'http://127.0.0.1./',
    'http://[0:0:0:0:0:0:0:1]/',
  ])('refuses %s, another spelling of loopback', async (url) => {
    const error = await refusal(url);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toContain('loopback');
  });

  it.each([
    ['http://[::ffff:127.0.0.1]/', '127.0.0.1', 'loopback'],
    ['http://[::ffff:7f00:1]/', '127.0.0.1', 'loopback'],
    ['http://[::ffff:169.254.169.254]/', '169.254.169.254', 'cloud metadata'],
    ['http://[::ffff:0:10.0.0.1]/', '10.0.0.1', 'private'],
    ['http://[::127.0.0.1]/', '127.0.0.1', 'loopback'],
    ['http://[::a00:1]/', '10.0.0.1', 'private'],
    ['http://[64:ff9b::7f00:1]/', '127.0.0.1', 'loopback'],
    ['http://[64:ff9b::169.254.169.254]/', '169.254.169.254', 'cloud metadata'],
    ['http://[2002:c0a8:101::1]/', '192.168.1.1', 'private'],
    ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', '127.0.0.1', 'loopback'],
  ])('refuses %s, IPv6 wrapping %s', async (url, inner, kind) => {
    const error = await refusal(url);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toContain(`= ${inner}`);
    expect((error as Error).message).toContain(kind);
  });

  it.each([
    'http://93.184.215.14/feed',
    'https://8.8.8.8/',
    'http://172.32.0.1/',
    'http://100.128.0.1/',
    'http://[2606:4700:4700::1111]/',
    'http://[::ffff:8.8.8.8]/',
    'http://[64:ff9b::808:808]/',
    'http://[2002:808:808::1]/',
    'http://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/', // Teredo, client 8.8.8.8
  ])('lets the public address %s through', (url) => {
    expect(refusal(url)).toBeUndefined();
  });

  it('leaves names to the connection: the URL check does not resolve them', () => {
    expect(refusal('https://127.0.0.1.nip.io/feed')).toBeUndefined();
  });
});

describe('publicOnlyLookup: names, judged on the answers the socket gets', () => {
  it('hands every checked address to the socket', async () => {
    const dns = fakeDns({ 'feeds.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] });
    expect(await lookUp('feeds.example.com', dns)).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ]);
    expect(dns.asked).toEqual(['feeds.example.com']);
  });

  it('answers one address of the family asked for when net does not want them all', async () => {
    const dns = fakeDns({ 'feeds.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] });
    expect(await lookUp('feeds.example.com', dns, { family: 6 })).toEqual({ address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 });
    expect(await lookUp('feeds.example.com', dns, {})).toEqual({ address: '93.184.215.14', family: 4 });
  });

  it('refuses a name when any one of its addresses is private', async () => {
    const dns = fakeDns({ 'mixed.example.com': ['93.184.215.14', '10.0.0.5'] });
    const error = await refusalOf(lookUp('mixed.example.com', dns));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toBe('refusing mixed.example.com (10.0.0.5): private addresses are not allowed (set ALLOW_PRIVATE_FEEDS=true to allow)');
  });

  it.each([
    ['127.0.0.1.nip.io', '127.0.0.1', 'loopback'],
    ['rebind.example.com', '169.254.169.254', 'cloud metadata'],
    ['v6.example.com', '::ffff:192.168.0.1', 'private'],
    ['scoped.example.com', 'fe80::1%eth0', 'link-local'],
  ])('refuses %s resolving to %s', async (name, address, kind) => {
    const error = await refusalOf(lookUp(name, fakeDns({ [name]: [address] })));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect((error as Error).message).toContain(kind);
  });

  it.each(['localhost', 'LOCALHOST.', 'feeds.localhost', 'localhost.localdomain', 'metadata.google.internal', 'db.internal', 'printer.local', 'nas.home.arpa'])(
    'refuses the name %s without asking DNS',
    async (name) => {
      const dns = fakeDns({});
      for (const error of [refusal(`http://${name}/`), await refusalOf(lookUp(name, dns))]) {
        expect(error).toBeInstanceOf(BlockedAddressError);
        expect((error as Error).message).toMatch(/^refusing \S+: .+ \(set ALLOW_PRIVATE_FEEDS=true to allow\)$/);
      }
      expect(dns.asked).toEqual([]);
    },
  );

  it('reports a name that does not resolve as unreachable', async () => {
    const error = await refusalOf(lookUp('no-such-host.invalid', fakeDns({})));
    expect(error).toBeInstanceOf(FeedUnreachableError);
    expect((error as Error).message).toBe('host not found (no-such-host.invalid)');
  });

  it('names the DNS error when it is not a plain "not found"', async () => {
    const lookup: Resolver = async () => {
      throw Object.assign(new Error('queryA ETIMEOUT'), { code: 'EAI_AGAIN' });
    };
    const error = await refusalOf(lookUp('slow-dns.example.com', lookup));
    expect(error).toBeInstanceOf(FeedUnreachableError);
    expect((error as Error).message).toBe('host not found (slow-dns.example.com: EAI_AGAIN)');
  });

  it('treats an empty answer as not found', async () => {
    const error = await refusalOf(lookUp('empty.example.com', async () => []));
    expect(error).toBeInstanceOf(FeedUnreachableError);
    // Nor may an answer of the wrong family pass for one.
    const v6only = await refusalOf(lookUp('v6.example.com', fakeDns({ 'v6.example.com': ['2606:4700::1'] }), { family: 4 }));
    expect(v6only).toBeInstanceOf(FeedUnreachableError);
  });
});

describe('assertPublicUrl: what is not an http(s) feed', () => {
  it.each(['file:///etc/passwd', 'ftp://example.com/feed.xml', 'gopher://example.com/', 'javascript:alert(1)', 'data:text/xml,<rss/>'])(
    'refuses %s as a bad source',
    async (url) => {
      const error = await refusal(url);
      expect(error).toBeInstanceOf(BadSourceError);
      expect((error as Error).message).toContain('only http:// and https://');
    },
  );

  it('refuses credentials in the URL', async () => {
    const error = refusal('https://user:secret@example.com/feed');
    expect(error).toBeInstanceOf(BadSourceError);
    expect((error as Error).message).not.toContain('secret');
  });
});

describe('addressVerdict and embeddedIPv4', () => {
  it.each([
    ['::ffff:127.0.0.1', ['127.0.0.1']],
    ['::127.0.0.1', ['127.0.0.1']],
    ['::7f00:1', ['127.0.0.1']],
    ['::ffff:0:a00:1', ['10.0.0.1']],
    ['64:ff9b::a9fe:a9fe', ['169.254.169.254']],
    ['2002:c0a8:101::1', ['192.168.1.1']],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', ['65.54.227.120', '127.0.0.1']],
    ['fe80::1%eth0', undefined],
    ['64:ff9b:1::a00:1', undefined],
    ['2606:4700::1', undefined],
    ['127.0.0.1', undefined],
  ])('finds in %s the IPv4 addresses %j', (address, inner) => {
    expect(embeddedIPv4(address)).toEqual(inner);
  });

  it('does not read :: and ::1 as the IPv4 addresses 0.0.0.0 and 0.0.0.1', () => {
    expect(embeddedIPv4('::')).toBeUndefined();
    expect(embeddedIPv4('::1')).toBeUndefined();
    expect(addressVerdict('::')?.verdict).toContain('unspecified');
    expect(addressVerdict('::1')?.verdict).toContain('loopback');
  });

  it.each([
    ['64:ff9b:1::a00:1', 'reserved'], // local-use NAT64: where the IPv4 address sits is the operator's choice
    ['100::1', 'reserved'], // discard-only
    ['fec0::1', 'private'], // deprecated site-local
    ['198.18.0.1', 'reserved'], // benchmarking
    ['::ffff:169.254.169.254', 'cloud metadata'],
  ])('refuses %s (%s)', (address, kind) => {
    expect(addressVerdict(address)?.verdict).toContain(kind);
  });

  it('says nothing against public addresses and refuses garbage', () => {
    expect(addressVerdict('1.1.1.1')).toBeUndefined();
    expect(addressVerdict('not-an-ip')?.verdict).toBe('it is not an IP address');
  });
});
