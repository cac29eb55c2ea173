/**
 * Keeps moderator-added feeds away from the bot's own network: a Discord member must not be
 * able to make the bot fetch its loopback services, the LAN, or a cloud metadata endpoint.
 *
 * The check lives inside the connection: publicOnlyAgent() is an undici dispatcher whose
 * connector refuses literal IPs and whose DNS lookup refuses private answers, so the address
 * judged is the address the socket connects to. A check before fetching could be fooled by a
 * name that resolves to a public address for the check and to 127.0.0.1 for the fetch (DNS
 * rebinding). Policy: every answer must be public; a name with one private answer is refused
 * whole, so the outcome never depends on which answer the socket happens to try first.
 */
import { promises as dns, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector } from 'undici';
import { BadSourceError, BlockedAddressError, FeedUnreachableError } from './errors.ts';

/** Resolves a host name to every address it has; injectable so tests never ask real DNS. */
export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

const HINT = '(set ALLOW_PRIVATE_FEEDS=true to allow)';

/** What each non-unicast range of ipaddr.js is called in a refusal; any range not listed is "reserved". */
const RANGE_VERDICTS: Record<string, string> = {
  unspecified: 'unspecified addresses are not allowed',
  loopback: 'loopback addresses are not allowed',
  private: 'private addresses are not allowed',
  uniqueLocal: 'private addresses are not allowed',
  // fec0::/10, deprecated, but still private wherever it is used.
  deprecatedSiteLocal: 'private addresses are not allowed',
  linkLocal: 'link-local addresses are not allowed',
  // Alibaba Cloud's metadata service (100.100.100.200) sits in this range too.
  carrierGradeNat: 'carrier-grade NAT addresses are not allowed',
  broadcast: 'the broadcast address is not allowed',
  multicast: 'multicast addresses are not allowed',
};

// Named before the ranges that contain them (link-local, unique-local): the more telling reason.
// fd00:ec2::254 is AWS's IPv6 metadata endpoint.
const METADATA = ['169.254.169.254', 'fd00:ec2::254'].map((a) => ipaddr.parse(a).toNormalizedString());
/** The well-known NAT64 prefix, the one whose IPv4 position is fixed (RFC 6052). */
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** Host names that mean "this machine" or "this network" whatever DNS answers. */
const BLOCKED_NAMES: Array<{ test: (name: string) => boolean; verdict: string }> = [
  { test: (n) => n === 'localhost' || n.endsWith('.localhost') || n === 'localhost.localdomain', verdict: 'local host names are not allowed' },
  { test: (n) => n === 'metadata.google.internal' || n === 'metadata.goog', verdict: 'the cloud metadata address is not allowed' },
  // .internal is reserved for private use; .local is multicast DNS on the LAN; home.arpa is home networks.
  { test: (n) => /(^|\.)(internal|local|home\.arpa)$/.test(n), verdict: 'private network names are not allowed' },
];

/**
 * What can be judged from the URL alone, before any connection: scheme, credentials, a literal
 * address, a name that always means a private host. Names are judged when connecting (below).
 */
export function assertPublicUrl(url: URL): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadSourceError(`unsupported scheme "${url.protocol}" (only http:// and https:// feeds can be added)`);
  }
  // Credentials would be stored and shown back in /feeds list.
  if (url.username || url.password) throw new BadSourceError('feed URLs with a user name or password are not allowed');
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new BadSourceError(`no host in ${url.href}`);
  if (isIP(host)) assertPublicAddress(host);
  else blockedName(host);
}

/** An undici dispatcher that connects only to public addresses; see the top of this file. */
export function publicOnlyAgent(resolve: Resolver = systemResolver): Agent {
  return new Agent({ connect: publicOnlyConnect(resolve) });
}

let shared: Agent | undefined;
/** One pool for every guarded fetch, so polls of the same feed reuse their keep-alive connections. */
export function sharedPublicOnlyAgent(): Agent {
  return (shared ??= publicOnlyAgent());
}

/** undici's connector with the guard: a literal IP is checked here (net.connect skips the lookup for it). */
export function publicOnlyConnect(resolve: Resolver = systemResolver): buildConnector.connector {
  const connect = buildConnector({ lookup: publicOnlyLookup(resolve) });
  return (options, callback) => {
    const host = options.hostname.replace(/^\[(.*)\]$/, '$1');
    try {
      if (isIP(host)) assertPublicAddress(host);
    } catch (error) {
      return callback(error as Error, null);
    }
    connect(options, callback);
  };
}

/** A net/tls `lookup` that hands the socket only answers it has checked. */
export function publicOnlyLookup(resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    publicAnswers(hostname, resolve).then(
      (answers) => {
        const want = String(options.family ?? 0).replace(/^IPv/, '');
        const usable = want === '4' || want === '6' ? answers.filter((a) => String(a.family) === want) : answers;
        const first = usable[0];
        if (!first) return callback(new FeedUnreachableError(`host not found (${displayName(hostname)})`), '', 0);
        // Node asks for all answers when it races IPv4 and IPv6 (autoSelectFamily), one otherwise.
        if (options.all) callback(null, usable as LookupAddress[]);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error, '', 0),
    );
  };
}

async function publicAnswers(hostname: string, resolve: Resolver): Promise<Array<{ address: string; family: number }>> {
  const name = blockedName(hostname);
  let answers: Array<{ address: string; family: number }>;
  try {
    answers = await resolve(hostname);
  } catch (error) {
    throw new FeedUnreachableError(lookupFailure(name, error), { cause: error });
  }
  if (answers.length === 0) throw new FeedUnreachableError(`host not found (${name})`);
  for (const { address } of answers) {
    const verdict = addressVerdict(address);
    if (verdict) throw new BlockedAddressError(`refusing ${name} (${verdict.shown}): ${verdict.verdict} ${HINT}`);
  }
  return answers;
}

function systemResolver(host: string): Promise<Array<{ address: string; family: number }>> {
  return dns.lookup(host, { all: true, verbatim: true });
}

/** A trailing dot is the same name fully qualified. */
function displayName(host: string): string {
  return host.toLowerCase().replace(/\.+$/, '');
}

/** Throws for a name that means a private host; returns the name as shown in messages. */
function blockedName(host: string): string {
  const name = displayName(host);
  const named = BLOCKED_NAMES.find((b) => b.test(name));
  if (named) throw new BlockedAddressError(`refusing ${name}: ${named.verdict} ${HINT}`);
  return name;
}

function assertPublicAddress(address: string): void {
  const verdict = addressVerdict(address);
  if (verdict) throw new BlockedAddressError(`refusing ${verdict.shown}: ${verdict.verdict} ${HINT}`);
}

function lookupFailure(name: string, error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string' || ['ENOTFOUND', 'EAI_NONAME', 'EAI_NODATA', 'ENODATA'].includes(code)) return `host not found (${name})`;
  return `host not found (${name}: ${code})`;
}

/**
 * Why an address is refused, or undefined when it is public. `shown` names the address, plus
 * the IPv4 address inside it when an IPv6 form merely wraps one.
 */
export function addressVerdict(address: string): { verdict: string; shown: string } | undefined {
  // Zone ids (fe80::1%eth0) can come back from the resolver; the zone does not change the range.
  const bare = address.replace(/%.*$/, '');
  // isIP first: ipaddr.js also accepts loose forms (127.1, 0x7f.1) that are not resolver output.
  if (!isIP(bare)) return { verdict: 'it is not an IP address', shown: address };
  const parsed = ipaddr.parse(bare);
  if (METADATA.includes(parsed.toNormalizedString())) return { verdict: 'the cloud metadata address is not allowed', shown: bare };
  const inner = embeddedIPv4(bare);
  if (inner) {
    // A wrapper is as public as what it wraps: the network on the way delivers to the IPv4 address.
    for (const v4 of inner) {
      const wrapped = addressVerdict(v4);
      if (wrapped) return { verdict: wrapped.verdict, shown: `${bare} = ${v4}` };
    }
    return undefined;
  }
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  return { verdict: RANGE_VERDICTS[range] ?? 'reserved addresses are not allowed', shown: bare };
}

/**
 * The IPv4 addresses an IPv6 address carries and that a network on the way may deliver to:
 * mapped, translated (::ffff:0:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4
 * and Teredo. Undefined when it wraps none; local-use NAT64 (64:ff9b:1::/48) places the IPv4
 * address where its operator likes, so it is left to its range (reserved).
 */
export function embeddedIPv4(address: string): string[] | undefined {
  const bare = address.replace(/%.*$/, '');
  if (isIP(bare) !== 6) return undefined;
  const ip = ipaddr.IPv6.parse(bare);
  const p = ip.parts;
  const v4 = (hi: number, lo: number) => ipaddr.fromByteArray([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]).toString();
  switch (ip.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return [v4(p[6]!, p[7]!)];
    case 'rfc6052':
      return ip.match(NAT64) ? [v4(p[6]!, p[7]!)] : undefined;
    case '6to4':
      return [v4(p[1]!, p[2]!)];
    case 'teredo': // the server, then the client (stored inverted)
      return [v4(p[2]!, p[3]!), v4(p[6]! ^ 0xffff, p[7]! ^ 0xffff)];
    case 'unicast':
      // ::a.b.c.d, deprecated "compatible"; :: and ::1 (ranges of their own) never get here.
      return p.slice(0, 6).every((part) => part === 0) ? [v4(p[6]!, p[7]!)] : undefined;
    default:
      return undefined;
  }
}
