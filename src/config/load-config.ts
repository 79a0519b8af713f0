/**
 * Builds the QuiverConfig a server starts with, from (lowest precedence first) the defaults,
 * `<home>/conf/quiver.conf`, environment variables and Memgraph-style command-line flags.
 * Anything unknown or invalid stops the start with a ConfigError naming the key and its origin.
 */
import path from 'node:path';
import { readConfFile } from './conf-file.js';
import { newDraft, resolveConfig, type ConfigDraft } from './config-draft.js';
import { ConfigError, InvalidSettingValue } from './config-error.js';
import { applyAuthVariable, envSettings, type Environment } from './env-settings.js';
import { applyFlags } from './memgraph-flags.js';
import type { QuiverConfig } from './quiver-config.js';
import type { RawSetting } from './raw-setting.js';
import { findSetting } from './settings-table.js';

export const CONF_FILE_RELATIVE = path.join('conf', 'quiver.conf');

export interface LoadConfigOptions {
  readonly home: string;
  /** Memgraph-style flags left over after the command's own options. */
  readonly argv?: readonly string[];
  readonly env?: Environment;
  /** Relative home and flag file paths resolve against this; defaults to process.cwd(). */
  readonly cwd?: string;
}

function applySetting(draft: ConfigDraft, raw: RawSetting): boolean {
  const entry = findSetting(raw.key);
  if (entry === undefined) return false;
  try {
    entry.parse(raw.value, raw.key)(draft);
  } catch (thrown) {
    if (!(thrown instanceof InvalidSettingValue)) throw thrown;
    throw new ConfigError(`Invalid value for setting ${raw.key}: ${thrown.message}`,
      raw.key, raw.origin);
  }
  return true;
}

function unrecognized(raw: RawSetting): ConfigError {
  return new ConfigError(`Unrecognized setting. No declared setting with name: ${raw.key}`,
    raw.key, raw.origin);
}

export function loadConfig(options: LoadConfigOptions): QuiverConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const home = path.resolve(cwd, options.home);
  const draft = newDraft();
  const raws = [
    ...readConfFile(path.join(home, CONF_FILE_RELATIVE), CONF_FILE_RELATIVE),
    ...envSettings(env),
  ];
  const unknown = raws.filter((raw) => !applySetting(draft, raw));
  applyAuthVariable(draft, env);
  for (const raw of unknown) {
    if (draft.strictValidation) throw unrecognized(raw);
    draft.warnings.push(unrecognized(raw).message);
  }
  applyFlags(draft, options.argv ?? [], cwd);
  return resolveConfig(draft, home);
}
