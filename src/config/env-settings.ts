/**
 * Environment variables as Neo4j's Docker image reads them: `NEO4J_dbms_mode` is `dbms.mode`,
 * `_` stands for `.` and `__` for `_`; `QUIVER_` works the same. Older images' camelCase
 * spellings (`NEO4J_ha_serverId`) become snake_case. Names in capitals (`NEO4J_HOME`,
 * `QUIVER_SEED`) are tool variables, never settings, and are skipped; NEO4J_AUTH is special.
 */
import { ConfigError } from './config-error.js';
import type { ConfigDraft } from './config-draft.js';
import type { RawSetting } from './raw-setting.js';

const PREFIXES = ['NEO4J_', 'QUIVER_'] as const;

export type Environment = Readonly<Record<string, string | undefined>>;

function camelToSnake(segment: string): string {
  return segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/**
 * `causal__clustering_initial__discovery__members` becomes
 * `causal_clustering.initial_discovery_members`.
 */
export function envNameToSetting(rest: string): string {
  return rest.split('__')
    .map((part) => part.split('_').map(camelToSnake).join('.'))
    .join('_');
}

export function envSettings(env: Environment): RawSetting[] {
  const settings: RawSetting[] = [];
  for (const variable of Object.keys(env).sort()) {
    const value = env[variable];
    const prefix = PREFIXES.find((candidate) => variable.startsWith(candidate));
    if (prefix === undefined || value === undefined || value === '') continue;
    const rest = variable.slice(prefix.length);
    if (rest === rest.toUpperCase()) continue;
    const key = envNameToSetting(rest);
    if (!key.includes('.') || /^\d/.test(key)) continue;
    settings.push({ key, value, origin: `environment variable ${variable}` });
  }
  return settings;
}

/** NEO4J_AUTH=none turns auth off; NEO4J_AUTH=neo4j/<password> sets the initial password. */
export function applyAuthVariable(draft: ConfigDraft, env: Environment): void {
  const value = env['NEO4J_AUTH'] ?? env['QUIVER_AUTH'];
  if (value === undefined || value === '') return;
  const origin = 'environment variable NEO4J_AUTH';
  if (value === 'none') {
    draft.auth.enabled = false;
    return;
  }
  const slash = value.indexOf('/');
  if (slash < 0 || value.slice(0, slash) !== 'neo4j') {
    throw new ConfigError("Expected 'none' or 'neo4j/<password>'", 'NEO4J_AUTH', origin);
  }
  const password = value.slice(slash + 1);
  if (password === '' || password === 'neo4j') {
    throw new ConfigError("Invalid initial password: it must not be empty or 'neo4j'",
      'NEO4J_AUTH', origin);
  }
  draft.auth.initialPassword = password;
}
