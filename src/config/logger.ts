/**
 * The logger every layer receives: pino, writing human-readable lines in Neo4j's neo4j.log shape
 * (`2026-11-23 12:00:00.000+0000 INFO  Started.`) to logs/quiver.log and, for `quiver console`,
 * to stdout. Lines are written synchronously so "Started." is on disk when it is logged and a
 * crash does not lose the lines before it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pino, type Level, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export interface LoggerOptions {
  /** Appended to; its directory is created. Null writes no file. */
  readonly logFile: string | null;
  readonly stdout: boolean;
  readonly level?: Level;
}

export interface OwnedLogger {
  readonly logger: Logger;
  close(): void;
}

/** One line must not be able to flood the log (a huge query text in a message, say). */
const LOG_LINE_CHARS_MAX = 16 * 1024;

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'ERROR',
};

const RESERVED_KEYS = new Set(['level', 'time', 'msg', 'component', 'err']);

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function formatTimestamp(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.` +
    `${pad(d.getUTCMilliseconds(), 3)}+0000`;
}

function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Turns one pino JSON record into a Neo4j-style line (plus a stack trace, if any). */
export function formatLogRecord(record: Readonly<Record<string, unknown>>): string {
  const time = typeof record['time'] === 'number' ? record['time'] : Date.now();
  const level = LEVEL_NAMES[Number(record['level'])] ?? 'INFO';
  const component = record['component'];
  let line = `${formatTimestamp(time)} ${level.padEnd(5)} `;
  if (typeof component === 'string') line += `[${component}] `;
  line += typeof record['msg'] === 'string' ? record['msg'] : '';
  for (const [key, value] of Object.entries(record)) {
    if (!RESERVED_KEYS.has(key) && value !== undefined) line += ` ${key}=${fieldText(value)}`;
  }
  const err = record['err'];
  if (typeof err === 'object' && err !== null) {
    const { stack, message } = err as { stack?: unknown; message?: unknown };
    line += `\n${typeof stack === 'string' ? stack : fieldText(message)}`;
  }
  if (line.length > LOG_LINE_CHARS_MAX) line = `${line.slice(0, LOG_LINE_CHARS_MAX)}…`;
  return `${line}\n`;
}

function openLogFile(logFile: string | null): number | null {
  if (logFile === null) return null;
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  return fs.openSync(logFile, 'a');
}

export function createLogger(options: LoggerOptions): OwnedLogger {
  let fd = openLogFile(options.logFile);
  const destination = {
    write(json: string): void {
      const line = formatLogRecord(JSON.parse(json) as Record<string, unknown>);
      if (fd !== null) fs.writeSync(fd, line);
      if (options.stdout) fs.writeSync(1, line);
    },
  };
  const logger = pino({ level: options.level ?? 'info', base: null }, destination);
  return {
    logger,
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

/** For tests and tools that must not write anywhere. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
