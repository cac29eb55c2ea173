/**
 * The log: `text` lines or one JSON object per line (LOG_FORMAT=json), and in neither format the
 * token, wherever it turns up: in a message, a context value (nested too), an Error's message.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadBotConfig } from '../src/config.ts';
import { createLogger, type LogFormat } from '../src/log.ts';

const TOKEN = 'MTIzNDU2Nzg5.GhIjKl.a-discord-token_value';
const clock = () => new Date('2024-06-01T12:00:00.000Z');

function logged(format: LogFormat): string[] {
  const lines: string[] = [];
  const logger = createLogger({ format, clock, write: (line) => lines.push(line), secrets: [TOKEN, undefined, ''] });
  logger.error(`login failed with ${TOKEN}`, { header: `Bot ${TOKEN}` });
  logger.warn('nested', { request: { headers: { authorization: `Bot ${TOKEN}` }, tries: [1, `x${TOKEN}y`] } });
  logger.error('thrown', { error: new Error(`401 for token ${TOKEN}: "quoted" \\ and \n a new line`) });
  logger.info('an error as the whole context value', { reason: new TypeError(TOKEN) });
  logger.info(`key named after it`, { [TOKEN]: 1 });
  return lines;
}

describe('the log', () => {
  it.each(['text', 'json'] as const)('never writes the token in the %s format, in a message, a context value or an error', (format) => {
    const lines = logged(format);
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      // Not even a piece of it long enough to mean something.
      expect(line).not.toContain('a-discord-token_value');
      expect(line).not.toContain('GhIjKl');
    }
    expect(lines.join('\n').match(/\[redacted\]/g)!.length).toBeGreaterThanOrEqual(6);
  });

  it('writes text as time, level, message, then key=value', () => {
    const [first, , third] = logged('text');
    expect(first).toBe('2024-06-01T12:00:00.000Z ERROR login failed with [redacted] header="Bot [redacted]"');
    expect(third).toBe('2024-06-01T12:00:00.000Z ERROR thrown error="401 for token [redacted]: \\"quoted\\" \\\\ and \\n a new line"');
  });

  it('writes JSON as one object per line with time, level, msg and the context fields', () => {
    const lines = logged('json');
    const objects = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    expect(objects[0]).toEqual({ time: '2024-06-01T12:00:00.000Z', level: 'error', msg: 'login failed with [redacted]', header: 'Bot [redacted]' });
    expect(objects[1]).toEqual({ time: '2024-06-01T12:00:00.000Z', level: 'warn', msg: 'nested', request: { headers: { authorization: 'Bot [redacted]' }, tries: [1, 'x[redacted]y'] } });
    expect(objects[2]).toMatchObject({ level: 'error', msg: 'thrown', error: '401 for token [redacted]: "quoted" \\ and \n a new line' });
    expect(objects[3]).toMatchObject({ reason: '[redacted]' });
    expect(Object.keys(objects[0]!).slice(0, 3)).toEqual(['time', 'level', 'msg']);
  });

  it('keeps the real time, level and msg when the context has fields of those names, and writes bigints', () => {
    const lines: string[] = [];
    const logger = createLogger({ format: 'json', clock, write: (line) => lines.push(line) });
    logger.warn('real', { msg: 'fake', level: 'debug', time: 'never', rows: 12n });
    expect(JSON.parse(lines[0]!)).toEqual({ time: '2024-06-01T12:00:00.000Z', level: 'warn', msg: 'real', msg_: 'fake', level_: 'debug', time_: 'never', rows: '12' });
  });

  it('writes only lines at LOG_LEVEL or above, in either format', () => {
    for (const format of ['text', 'json'] as const) {
      const lines: string[] = [];
      const logger = createLogger({ format, level: 'info', clock, write: (line) => lines.push(line) });
      logger.debug('poll finished', { new: 0 });
      logger.info('poll finished', { new: 1 });
      expect(lines).toHaveLength(1);
    }
  });

  it('takes LOG_FORMAT text (the default) or json, and refuses anything else naming the setting', () => {
    expect(loadBotConfig({}).LOG_FORMAT).toBe('text');
    expect(loadBotConfig({ LOG_FORMAT: 'json' }).LOG_FORMAT).toBe('json');
    expect(() => loadBotConfig({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);
    expect(() => loadBotConfig({ LOG_FORMAT: 'xml' })).toThrow(/^LOG_FORMAT: .*\(got "xml"\)$/);
  });
});
