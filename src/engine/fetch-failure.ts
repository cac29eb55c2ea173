/**
 * The one line a moderator reads when a feed cannot be reached or read: what undici, the socket
 * or the file system threw, named by its cause (refused, not found, reset, TLS...).
 */
import { FeedError } from './errors.ts';

/** The FeedError that a connector threw (fetch wrapped it in a "fetch failed" TypeError; request does not). */
export function feedErrorIn(error: unknown): FeedError | undefined {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof FeedError) return current;
    current = current.cause;
  }
  return undefined;
}

type ErrnoLike = Error & { code?: string; address?: string; port?: number; hostname?: string; errors?: unknown[] };

/** The innermost error that carries a code: undici wraps the socket error in `cause`, Happy Eyeballs in an AggregateError. */
function rootCause(error: unknown): ErrnoLike | undefined {
  let current: unknown = error;
  let deepest: ErrnoLike | undefined;
  for (let depth = 0; current instanceof Error && depth < 8; depth++) {
    const candidate = current as ErrnoLike;
    deepest = candidate;
    if (typeof candidate.code === 'string' && !candidate.code.startsWith('ABORT')) return candidate;
    current = Array.isArray(candidate.errors) && candidate.errors.length ? candidate.errors[0] : candidate.cause;
  }
  return deepest;
}

export function describeNetworkFailure(error: unknown, url: URL, phase: 'connect' | 'body' = 'connect'): string {
  const cause = rootCause(error);
  const code = cause?.code ?? '';
  const where = `(${url.host})`;
  if (code === 'ECONNREFUSED') {
    return `connection refused (${cause?.address && cause.port ? `${cause.address}:${cause.port}` : url.host})`;
  }
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_NODATA', 'EAI_NONAME'].includes(code)) return `host not found (${url.hostname})`;
  if (phase === 'body') return `connection lost while reading the body ${where}`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `connection reset ${where}`;
  if (code === 'UND_ERR_SOCKET') return `connection closed by the server ${where}`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return `connection timed out ${where}`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `host unreachable ${where}`;
  if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return `TLS error: ${cause?.message || code} ${where}`;
  }
  return `${cause?.message || code || 'network error'} ${where}`;
}

export function describeFileFailure(error: unknown, path: string): string {
  const code = (error as ErrnoLike | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return `no such file: ${path}`;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied: ${path}`;
  if (code === 'EISDIR') return `not a regular file: ${path}`;
  return `cannot read ${path}: ${code ?? (error instanceof Error ? error.message : String(error))}`;
}
