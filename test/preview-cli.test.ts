/**
 * The real preview CLI in a child process, against a server on 127.0.0.1 and local files: what a
 * moderator sees on stdout and stderr, the exit code, and that hostile feeds do not take the
 * process down. (Its memory on those feeds is measured by `npm run bench`, not here.)
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { redirect, routes, serve, startHttpServer, streamZeros, type TestServer } from './support/http-server.ts';
import { validateMessageBody } from './support/discord-schema.ts';
import { compiled } from './support/spawn.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SAMPLE = readFileSync(new URL('../data/sample-feeds/alita-news.xml', import.meta.url), 'utf8');
const SAMPLE_ITEMS = 5;
/** An on-topic item with a split Cameron quotation, and an off-topic one with a Rodriguez quotation and a trap. */
const QUOTES_FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Film Wire</title><link>https://wire.example/</link><description>film news</description>
<item><title>Cameron on Alita 2</title><link>https://wire.example/1</link><description>“We have the whole story,” Cameron said, “and Disney knows it.” The Alita sequel waits.</description></item>
<item><title>Rodriguez on Spy Kids</title><link>https://wire.example/2</link><description>“The kids are back and bigger than ever,” said Rodriguez. Michelle Rodriguez was asked: “Will you return to Fast?”</description></item>
</channel></rss>`;
const MB = 1024 * 1024;
const MISSING = join(tmpdir(), 'alita-preview-no-such-feed.xml');
// Deadline for a whole CLI run: it only catches a hang.
const DEADLINE_MS = 120_000;
/**
 * The fetch timeout of runs that expect some other error: far above what any local answer
 * needs, so a busy machine never turns "too large" into "timed out". Only the run that tests
 * the timeout itself uses a short one, with nothing else in it that could be slow.
 */
const PATIENT_FETCH_MS = 30_000;
const HANG_FETCH_MS = 2_000;

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

let server: TestServer;

/** Runs the CLI as `npm run preview --` does. */
function preview(args: string[], fetchTimeoutMs = PATIENT_FETCH_MS): Promise<Run> {
  const child = spawn(process.execPath, [compiled('src/cli/preview.ts'), ...args], { cwd: ROOT, env: { ...process.env, FETCH_TIMEOUT_MS: String(fetchTimeoutMs), NODE_OPTIONS: '' }, detached: true });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the whole group we started
      } catch { /* already gone */ }
      reject(new Error(`preview ${args.join(' ')} still running after ${DEADLINE_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, DEADLINE_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const url = (path: string) => `${server.url}${path}`;
const laughs = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "haha">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><rss version="2.0"><channel><title>&j;</title></channel></rss>`;
// 1024 gzip members of 1 MB of zeros: about 1 MB on the wire, 1 GB once inflated.
const bomb = Buffer.concat(Array.from({ length: 1024 }, () => gzipSync(Buffer.alloc(MB))));

/** Each failing feed and the one line a moderator must see for it (the hang: see the timeout test). */
const FAILING: Array<[string, () => string, RegExp]> = [
  ['404', () => url('/nope.xml'), /^HTTP 404 Not Found$/],
  ['500', () => url('/500'), /^HTTP 500 Internal Server Error$/],
  ['HTML page', () => url('/page.html'), /^not an RSS\/Atom feed \(an HTML page\)$/],
  ['JSON', () => url('/feed.json'), /^not an RSS\/Atom feed \(looks like JSON\)$/],
  ['empty body', () => url('/empty'), /^not an RSS\/Atom feed \(empty document\)$/],
  ['truncated XML', () => url('/truncated'), /^malformed XML \(.+\)$/],
  ['billion laughs', () => url('/laughs'), /^malformed XML \(.*entit.*\)$/],
  ['50 MB body', () => url('/huge'), /^larger than the 5 MB limit$/],
  ['gzip bomb', () => url('/bomb'), /^larger than the 5 MB limit$/],
  ['redirect loop', () => url('/loop'), /^too many redirects \(more than \d+\)$/],
  ['missing file', () => MISSING, /^no such file: .*alita-preview-no-such-feed\.xml$/],
];

beforeAll(async () => {
  server = await startHttpServer(
    routes({
      '/alita.xml': serve(SAMPLE),
      '/quotes.xml': serve(QUOTES_FEED),
      '/500': (_req, res) => void res.writeHead(500, { 'Content-Type': 'text/html' }).end('<h1>oops</h1>'),
      '/hang': () => {}, // never answers
      '/page.html': serve('<!DOCTYPE html><html><body><h1>Not a feed</h1></body></html>', { 'Content-Type': 'text/html' }),
      '/feed.json': serve('{"version":"https://jsonfeed.org/version/1.1","items":[]}', { 'Content-Type': 'application/json' }),
      '/empty': serve(''),
      '/truncated': serve(SAMPLE.slice(0, 2000)),
      '/laughs': serve(laughs),
      '/huge': (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        void streamZeros(res, 50 * MB);
      },
      '/bomb': serve(bomb, { 'Content-Encoding': 'gzip' }),
      '/loop': redirect('/loop'),
    }),
  );
});

afterAll(async () => {
  await server?.close();
});

describe('preview CLI: output', () => {
  it('shows ✓/✗ with title and reasons for each item, from 127.0.0.1 and from a file, and exits 0', async () => {
    const run = await preview([url('/alita.xml'), 'data/sample-feeds/film-wire.atom']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${url('/alita.xml')}: 5 items, 2 on topic`);
    expect(run.stdout).toMatch(/^ {2}✓ Fans and Robert Rodriguez want Alita: Battle Angel 2 to come true\n {6}feed about Alita: its title names the film: alita; anchor: alita;.*sequel title: battle angel 2.*score [\d.]+ ≥ \d/m);
    // The sample's own title names the film: its items are judged as a feed about Alita's, and it says so.
    expect(run.stdout).toContain(`${url('/alita.xml')}: 5 items, 2 on topic\n  taken as a feed about Alita (its title names the film: alita): its items need only be about the sequel\n`);
    expect(run.stdout).toMatch(/^ {2}✗ Avatar sequels schedule shifts again\n {6}feed about Alita: its title names the film: alita; ignored: sequel\* \(nearer to avatar\);.* < 2$/m);
    expect(run.stdout).toMatch(/^ {2}✗ Alita: Battle Angel 4K Blu-ray review\n {6}.*score [\d.]+ < \d/m);
    expect(run.stdout).toContain('data/sample-feeds/film-wire.atom: 3 items');
    expect(run.stdout).not.toMatch(/film-wire\.atom: .*\n {2}taken as a feed about Alita/);
    expect(run.stdout.match(/^ {2}[✓✗] /gm)).toHaveLength(SAMPLE_ITEMS + 3);
  });

  it('--about-alita judges the given feeds as declared about Alita, and says so', async () => {
    const run = await preview(['--about-alita', 'data/sample-feeds/film-wire.atom']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^data\/sample-feeds\/film-wire\.atom: 3 items, \d on topic\n {2}taken as a feed about Alita \(flagged as about Alita\)/);
    expect(run.stdout.match(/^ {6}feed about Alita: flagged as about Alita; /gm)).toHaveLength(3);
  });

  it('--json prints one JSON object per item per line and nothing else', async () => {
    const run = await preview(['--json', url('/alita.xml'), 'data/sample-feeds/film-wire.atom']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.endsWith('\n')).toBe(true);
    const lines = run.stdout.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(SAMPLE_ITEMS + 3);
    for (const line of lines) {
      expect(line).toEqual(expect.objectContaining({ feed: expect.any(String), id: expect.stringMatching(/^[\da-f]{32}$/), title: expect.any(String), relevant: expect.any(Boolean), reasons: expect.any(Array) }));
      expect(line.link === null || /^https?:\/\//.test(String(line.link))).toBe(true);
      expect((line.reasons as unknown[]).every((r) => typeof r === 'string')).toBe(true);
      expect(line.aboutAlita).toBe(line.feed === url('/alita.xml') ? 'its title names the film: alita' : null);
      if (line.relevant) {
        expect(line.message).toEqual(expect.objectContaining({ embeds: expect.any(Array), allowed_mentions: { parse: [] } }));
        expect(validateMessageBody(line.message)).toEqual([]);
      } else {
        expect(line.message).toBeNull();
      }
    }
    expect(lines.filter((l) => l.feed === url('/alita.xml')).map((l) => l.relevant)).toEqual([false, true, false, true, false]);
  });

  it('shows every item\'s quotations, on topic or not; --json gives each item a quotes array', async () => {
    const text = await preview([url('/quotes.xml')]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('      quote: “We have the whole story, and Disney knows it.” — James Cameron\n');
    expect(text.stdout).toContain('      quote: “The kids are back and bigger than ever,” — Robert Rodriguez\n');
    const run = await preview(['--json', url('/quotes.xml'), 'data/sample-feeds/film-wire.atom']);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { title: string; quotes: unknown });
    expect(lines.map((l) => [l.title, l.quotes])).toEqual(expect.arrayContaining([
      ['Cameron on Alita 2', [{ speaker: 'James Cameron', text: 'We have the whole story, and Disney knows it.' }]],
      ['Rodriguez on Spy Kids', [{ speaker: 'Robert Rodriguez', text: 'The kids are back and bigger than ever,' }]],
    ]));
    for (const line of lines) expect(Array.isArray(line.quotes)).toBe(true);
  });

  it('exits 1 with usage on stderr when given no feeds', async () => {
    const run = await preview([]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^usage: .*preview/);
  });
});

describe('preview CLI: failing feeds', () => {
  it.each(FAILING)('%s: one line on stderr, the other feeds still previewed, exit 1', { timeout: DEADLINE_MS + 10_000 }, async (_name, feed, reason) => {
    const source = feed();
    const run = await preview([url('/alita.xml'), source, 'data/sample-feeds/film-wire.atom']);
    const errLines = run.stderr.split('\n');
    expect(errLines.pop()).toBe(''); // ends with a newline
    expect(errLines).toHaveLength(1);
    expect(errLines[0]!.startsWith(`${source}: `)).toBe(true);
    expect(errLines[0]!.slice(source.length + 2)).toMatch(reason);
    expect(run.stdout).toContain(`${url('/alita.xml')}: 5 items, 2 on topic`);
    expect(run.stdout).toContain('data/sample-feeds/film-wire.atom: 3 items');
    expect(run.code).toBe(1);
  });

  it('a feed that never answers: "timed out" on stderr, the other feeds still previewed, exit 1', { timeout: DEADLINE_MS + 10_000 }, async () => {
    const run = await preview([url('/alita.xml'), url('/hang'), 'data/sample-feeds/film-wire.atom'], HANG_FETCH_MS);
    expect(run.stderr).toBe(`${url('/hang')}: timed out after ${HANG_FETCH_MS / 1000} s\n`);
    expect(run.stdout).toContain(`${url('/alita.xml')}: 5 items, 2 on topic`);
    expect(run.stdout).toContain('data/sample-feeds/film-wire.atom: 3 items');
    expect(run.code).toBe(1);
  });

  it('survives all of them at once, and ends', { timeout: DEADLINE_MS + 10_000 }, async () => {
    const sources = FAILING.map(([, feed]) => feed());
    const run = await preview(['--json', ...sources, url('/alita.xml')]);
    expect(run.signal).toBeNull();
    expect(run.code).toBe(1);
    const errLines = run.stderr.trimEnd().split('\n');
    expect(errLines).toHaveLength(FAILING.length);
    FAILING.forEach(([, , reason], i) => {
      expect(errLines[i]!.startsWith(`${sources[i]}: `)).toBe(true);
      expect(errLines[i]!.slice(sources[i]!.length + 2)).toMatch(reason);
    });
    const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { feed: string });
    expect(lines.map((l) => l.feed)).toEqual(Array(SAMPLE_ITEMS).fill(url('/alita.xml')));
  });
});

describe('preview CLI: terminal safety', () => {
  // KNOWN ENGINE BUG: FeedHttpError puts the server's reason phrase into the message as is, and
  // oneLine() only folds whitespace, so a hostile server can send terminal escapes to stderr.
  it('keeps control characters from a server out of the stderr line', async () => {
    const raw = createServer((socket) => socket.once('data', () => socket.end('HTTP/1.1 500 \x1b[2J\x1b[31mpwned\r\nContent-Length: 0\r\n\r\n')));
    await new Promise<void>((done) => raw.listen(0, '127.0.0.1', done));
    try {
      const feed = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/feed.xml`;
      const run = await preview([feed]);
      expect(run.stderr).toMatch(/^.+: HTTP 500\b/);
      expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    } finally {
      await new Promise((done) => raw.close(done));
    }
  });
});
