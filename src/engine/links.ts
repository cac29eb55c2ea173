/** Makes `href` absolute against `base`; returns it only when it is http(s). */
export function absoluteHttpUrl(href: string | undefined, base?: string): string | undefined {
  const value = href?.trim();
  if (!value) return undefined;
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

const TRACKING = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)$/i;

/**
 * The form of a link used only to recognise the same story: scheme ignored (http = https),
 * host lower-cased, default port and fragment dropped, tracking parameters removed.
 * Never shown to anyone; messages keep the link as published.
 */
export function canonicalLink(link: string): string | undefined {
  let url: URL;
  try {
    url = new URL(link.trim());
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
