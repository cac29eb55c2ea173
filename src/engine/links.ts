/** Makes `href` absolute against `base`; returns it only when it is http(s). */
export function absoluteHttpUrl(href: string | undefined, base?: string): string | undefined {
  const value = href?.trim();
  if (!value) return undefined;
  return inParsedForm(value) ? value : parsedHttpUrl(value, base);
}

/** absoluteHttpUrl through the URL parser alone, for any link: what its fast path must give too (test/links.test.ts). */
export function parsedHttpUrl(value: string, base?: string): string | undefined {
  let url: URL;
  try {
    url = base ? new URL(value, base) : new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (!url.hostname) return undefined;
  return url.href;
}

/**
 * Whether `value` is an absolute http(s) URL already as the URL parser writes it, so parsing it
 * gives it back unchanged: lower-case scheme and host, a host whose last label starts with a
 * letter (no IPv4 to normalise), no port or user, a path, no fragment, and only characters no
 * part of it encodes; no dot segment and no punycode label (xn--), which the parser rewrites or
 * checks. Parsing every item's link was a twentieth of normalising it, and its identity parsed it
 * again. test/links.test.ts holds both uses to the parser.
 */
function inParsedForm(value: string): boolean {
  return SERIALISED.test(value) && !value.includes('xn--') && !value.includes('/.') && !/%2e/i.test(value);
}

const SERIALISED = /^https?:\/\/(?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/;

const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)$/i;

/**
 * The form of a link used only to recognise the same story: scheme ignored (http = https),
 * host lower-cased, default port and fragment dropped, tracking parameters removed.
 * Never shown to anyone; messages keep the link as published.
 */
export function canonicalLink(link: string): string | undefined {
  const value = link.trim();
  if (inParsedForm(value) && !value.includes('?')) {
    // Its host and path as they stand (a path of '/' alone dropped): no scheme, port or fragment.
    const host = value.indexOf('//');
    const path = value.indexOf('/', host + 2);
    return value.slice(host, path === value.length - 1 ? path : undefined);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  // As https: port 443 of an http link is then the default, and goes.
  if (url.protocol === 'http:') url.protocol = 'https:';
  const host = url.host.toLowerCase();
  const path = url.pathname === '/' ? '' : url.pathname;
  // Most links have no query: URLSearchParams (an object and a parse of its own) only for those
  // that do. Every item's id reads its link here, some 20,000 a cold poll of the long-items benchmark.
  if (url.search === '') return `//${host}${path}`;
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING.test(key)) url.searchParams.delete(key);
  }
  const query = url.searchParams.toString();
  return `//${host}${path}${query ? `?${query}` : ''}`;
}
