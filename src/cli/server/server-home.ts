/**
 * What every server command does first: load the configuration (printing a ConfigError the way
 * an operator can act on it) and describe the directories in use, as Neo4j's launcher does.
 */
import fs from 'node:fs';
import { ConfigError } from '../../config/config-error.js';
import type { Environment } from '../../config/env-settings.js';
import { loadConfig } from '../../config/load-config.js';
import type { QuiverConfig } from '../../config/quiver-config.js';

export interface ServerCommandOptions {
  readonly home: string;
  /** Memgraph-style flags passed through to the configuration. */
  readonly argv: readonly string[];
  readonly env: Environment;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** The configuration, or null after printing why it is unusable. */
export function loadServerConfig(options: ServerCommandOptions): QuiverConfig | null {
  try {
    return loadConfig({ home: options.home, argv: options.argv, env: options.env });
  } catch (thrown) {
    if (!(thrown instanceof ConfigError)) throw thrown;
    options.stderr(`Configuration error: ${thrown.message}\n`);
    return null;
  }
}

export function createDirectories(config: QuiverConfig): void {
  const { data, logs, conf, import: importDir, run } = config.directories;
  for (const dir of [data, logs, conf, importDir, run]) fs.mkdirSync(dir, { recursive: true });
}

export function describeDirectories(config: QuiverConfig): string {
  const dirs = config.directories;
  const rows: Array<[string, string]> = [
    ['home', dirs.home], ['config', dirs.conf], ['logs', dirs.logs], ['import', dirs.import],
    ['data', dirs.data], ['run', dirs.run],
  ];
  return ['Directories in use:',
    ...rows.map(([name, dir]) => `${`  ${name}:`.padEnd(16)}${dir}`)].join('\n') + '\n';
}

export function httpUrl(config: QuiverConfig): string {
  return `http://${config.http.advertised.host}:${config.http.advertised.port}`;
}
