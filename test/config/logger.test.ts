import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, formatLogRecord, formatTimestamp } from '../../src/config/logger.js';

describe('log line format', () => {
  it('looks like a neo4j.log line', () => {
    const time = Date.UTC(2026, 10, 23, 12, 0, 0, 5);
    expect(formatTimestamp(time)).toBe('2026-11-23 12:00:00.005+0000');
    expect(formatLogRecord({ level: 30, time, msg: 'Started.' }))
      .toBe('2026-11-23 12:00:00.005+0000 INFO  Started.\n');
    expect(formatLogRecord({ level: 40, time, msg: 'Lost member', component: 'raft', id: 2 }))
      .toBe('2026-11-23 12:00:00.005+0000 WARN  [raft] Lost member id=2\n');
  });

  it('puts the stack of an error on the following lines', () => {
    const line = formatLogRecord({ level: 50, time: 0, msg: 'boom', err: { stack: 'E\n  at x' } });
    expect(line).toBe('1970-01-01 00:00:00.000+0000 ERROR boom\nE\n  at x\n');
  });
});

describe('createLogger', () => {
  it('appends formatted lines to the log file, children carrying their component', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quiver-log-'));
    const file = path.join(dir, 'logs', 'quiver.log');
    const { logger, close } = createLogger({ logFile: file, stdout: false });
    logger.info('Starting...');
    logger.child({ component: 'bolt' }).info({ port: 7687 }, 'Bolt enabled');
    logger.debug('not at info level');
    close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0])
      .toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\+0000 INFO {2}Starting\.\.\.$/);
    expect(lines[1]).toMatch(/INFO {2}\[bolt\] Bolt enabled port=7687$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
