/**
 * Reads `conf/quiver.conf`: one `key=value` per line, `#` starts a comment line, blank lines are
 * skipped, whitespace around key and value is dropped. A missing file means all defaults.
 */
import fs from 'node:fs';
import { ConfigError } from './config-error.js';
import type { RawSetting } from './raw-setting.js';

/** A conf file is small; anything larger is a mistake (a data file passed as config). */
const CONF_FILE_BYTES_MAX = 4 * 1024 * 1024;

export function parseConfText(text: string, displayPath: string): RawSetting[] {
  const settings: RawSetting[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const origin = `${displayPath}:${index + 1}`;
    const equals = trimmed.indexOf('=');
    if (equals <= 0) {
      throw new ConfigError(`Invalid line, expected key=value: '${trimmed}'`, null, origin);
    }
    const key = trimmed.slice(0, equals).trim();
    settings.push({ key, value: trimmed.slice(equals + 1).trim(), origin });
  }
  return settings;
}

export function readConfFile(filePath: string, displayPath: string): RawSetting[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(filePath);
  } catch {
    return [];
  }
  if (stat.size > CONF_FILE_BYTES_MAX) {
    throw new ConfigError(`Configuration file is larger than ${CONF_FILE_BYTES_MAX} bytes`,
      null, displayPath);
  }
  return parseConfText(fs.readFileSync(filePath, 'utf8'), displayPath);
}
