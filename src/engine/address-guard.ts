/**
 * Keeps moderator-added feeds away from the bot's own network: a Discord member must not be
 * able to make the bot fetch its loopback services, the LAN, or a cloud metadata endpoint.
 *
 * Known limit: the check resolves the name, then fetch resolves it again, so a DNS server that
 * answers differently the second time (rebinding) can still slip through. Closing that needs
 * the connection itself pinned to the checked address, which belongs in the fetcher.
 */
import { promises as dns } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { BadSourceError, BlockedAddressError, FeedUnreachableError } from './errors.ts';

export type Lookup = (host: string) => Promise<Array<{ address: string; family: number }>>;

const HINT = '(set ALLOW_PRIVATE_FEEDS=true to allow)';

interface Rule {
  /** Completes "refusing <address>: …". */
  verdict: string;
  list: BlockList;
}

function rule(verdict: string, subnets: string[]): Rule {
  const list = new BlockList();
  for (const subnet of subnets) {
    const [network, prefix] = subnet.split('/') as [string, string];
    list.addSubnet(network, Number(prefix), isIP(network) === 6 ? 'ipv6' : 'ipv4');
  }
  return { verdict, list };
}

// First match wins, so the narrow, more telling rules come before the ranges that contain them.
const RULES: Rule[] = [
  // fd00:ec2::254 is AWS's IPv6 metadata endpoint.
  rule('the cloud metadata address is not allowed', ['169.254.169.254/32', 'fd00:ec2::254/128']),
  rule('unspecified addresses are not allowed', ['0.0.0.0/8', '::/128']),
  rule('loopback addresses are not allowed', ['127.0.0.0/8', '::1/128']),
  // fec0::/10 is the deprecated site-local range, still private wherever it is used.
  rule('private addresses are not allowed', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', 'fec0::/10']),
  rule('link-local addresses are not allowed', ['169.254.0.0/16', 'fe80::/10']),
  // Alibaba Cloud's metadata service (100.100.100.200) sits in this range too.
  rule('carrier-grade NAT addresses are not allowed', ['100.64.0.0/10']),
  rule('the broadcast address is not allowed', ['255.255.255.255/32']),
  rule('multicast addresses are not allowed', ['224.0.0.0/4', 'ff00::/8']),
  rule('reserved addresses are not allowed', [
    '240.0.0.0/4', '192.0.0.0/24', '192.0.2.0/24', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24',
    // Discard-only, documentation, and local-use NAT64 (whose IPv4 position varies, so it cannot be unpacked).
    '100::/64', '2001:db8::/32', '64:ff9b:1::/48',
  ]),
];

/** Host names that mean "this machine" or "this network" without any DNS answer to check. */
const BLOCKED_NAMES: Array<{ test: (name: string) => boolean; verdict: string }> = [
  { test: (n) => n === 'localhost' || n.endsWith('.localhost') || n === 'localhost.localdomain', verdict: 'local host names are not allowed' },
  { test: (n) => n === 'metadata.google.internal' || n === 'metadata.goog', verdict: 'the cloud metadata address is not allowed' },
  // .internal is reserved for private use; .local is multicast DNS on the LAN; home.arpa is home networks.
  { test: (n) => /(^|\.)(internal|local|home\.arpa)$/.test(n), verdict: 'private network names are not allowed' },
];

/**
 * Throws unless `url` is an http(s) URL without credentials whose host is, and resolves only
 * to, public addresses. Every address a name resolves to is checked: the fetch may use any.
 */
export async function assertPublicUrl(url: URL, lookup: Lookup = defaultLookup): Promise<void> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadSourceError(`unsupported scheme "${url.protocol}" (only http:// and https:// feeds can be added)`);
  }
  // Credentials would be stored and shown back in /feeds list.
  if (url.username || url.password) throw new BadSourceError('feed URLs with a user name or password are not allowed');

  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new BadSourceError(`no host in ${url.href}`);
  if (isIP(host)) {
    const verdict = addressVerdict(host);
    if (verdict) throw new BlockedAddressError(`refusing ${verdict.shown}: ${verdict.verdict} ${HINT}`);
    return;
  }

  // A trailing dot is the same name fully qualified.
  const name = host.toLowerCase().replace(/\.+$/, '');
  const named = BLOCKED_NAMES.find((b) => b.test(name));
  if (named) throw new BlockedAddressError(`refusing ${name}: ${named.verdict} ${HINT}`);

  let answers: Array<{ address: string; family: number }>;
  try {
    answers = await lookup(host);
  } catch (error) {
    throw new FeedUnreachableError(lookupFailure(name, error), { cause: error });
  }
  if (answers.length === 0) throw new FeedUnreachableError(`host not found (${name})`);
  for (const { address } of answers) {
    const verdict = addressVerdict(address);
    if (verdict) throw new BlockedAddressError(`refusing ${name} (${verdict.shown}): ${verdict.verdict} ${HINT}`);
  }
}

function defaultLookup(host: string): Promise<Array<{ address: string; family: number }>> {
  return dns.lookup(host, { all: true, verbatim: true });
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
  const family = isIP(bare);
  if (family === 0) return { verdict: 'it is not an IP address', shown: address };
  const type = family === 6 ? 'ipv6' : 'ipv4';
  const direct = RULES.find((r) => r.list.check(bare, type));
  if (direct) {
    // BlockList matches IPv4 rules against ::ffff:a.b.c.d itself; say which IPv4 address it was.
    const inner = family === 6 ? embeddedIPv4(bare).find((v4) => direct.list.check(v4, 'ipv4')) : undefined;
    return { verdict: direct.verdict, shown: inner ? `${bare} = ${inner}` : bare };
  }
  if (family === 6) {
    for (const inner of embeddedIPv4(bare)) {
      const wrapped = RULES.find((r) => r.list.check(inner, 'ipv4'));
      if (wrapped) return { verdict: wrapped.verdict, shown: `${bare} = ${inner}` };
    }
  }
  return undefined;
}

/**
 * IPv4 addresses an IPv6 address carries and that a network on the way may deliver to:
 * mapped, compatible and translated forms, NAT64 (64:ff9b::/96), 6to4 and Teredo.
 */
export function embeddedIPv4(address: string): string[] {
  const bytes = ipv6Bytes(address);
  if (!bytes) return [];
  const v4 = (at: number, mask = 0) => [0, 1, 2, 3].map((i) => (bytes[at + i]! ^ mask) & 0xff).join('.');
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const found: string[] = [];
  if (zero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) found.push(v4(12)); // ::ffff:a.b.c.d
  // ::a.b.c.d (deprecated "compatible"); :: and ::1 are themselves, not 0.0.0.0 and 0.0.0.1.
  if (zero(0, 12) && !(zero(12, 15) && bytes[15]! <= 1)) found.push(v4(12));
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) found.push(v4(12)); // ::ffff:0:a.b.c.d
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12)) found.push(v4(12));
  if (bytes[0] === 0x20 && bytes[1] === 0x02) found.push(v4(2)); // 6to4
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x00 && bytes[3] === 0x00) {
    found.push(v4(4), v4(12, 0xff)); // Teredo: server, then the client (stored inverted)
  }
  return found;
}

/** The 16 bytes of an IPv6 address in any textual form, or undefined when it is not one. */
export function ipv6Bytes(address: string): number[] | undefined {
  let text = address.replace(/%.*$/, '');
  if (isIP(text) !== 6) return undefined;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (all.length !== 8) return undefined;
  return all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}
