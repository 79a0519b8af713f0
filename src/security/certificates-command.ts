/**
 * `quiver-admin certificates create`: a development certificate set under the server's
 * certificates directory (dbms.directories.certificates), in the layout the SSL policies read
 * by default, followed by the settings that switch TLS on.
 */
import { Command, Option } from 'commander';
import type { Environment } from '../config/env-settings.js';
import { SSL_SCOPES, type SslScope } from '../config/quiver-config.js';
import type { CommandOutput } from '../cli/run-commander.js';
import { loadServerConfig } from '../cli/server/server-home.js';
import { createCertificateSet } from './dev-certificates.js';

interface CreateOptions {
  readonly home: string;
  readonly hostname: string[];
  readonly days: string;
  readonly scope: string[];
}

const DAYS_MAX = 3650;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseScopes(names: readonly string[]): SslScope[] | string {
  const chosen = names.length === 0 ? [...SSL_SCOPES] : [];
  for (const name of names) {
    const scope = SSL_SCOPES.find((s) => s === name);
    if (scope === undefined) return `unknown scope '${name}' (${SSL_SCOPES.join(', ')})`;
    chosen.push(scope);
  }
  return chosen;
}

function settingsHint(scopes: readonly SslScope[]): string {
  const lines = scopes.map((s) => `dbms.ssl.policy.${s}.enabled=true`);
  if (scopes.includes('bolt')) lines.push('dbms.connector.bolt.tls_level=OPTIONAL');
  if (scopes.includes('https')) lines.push('dbms.connector.https.enabled=true');
  return lines.join('\n');
}

export function certificatesCommand(env: Environment, output: CommandOutput,
  setExitCode: (code: number) => void): Command {
  const create = new Command('create')
    .description('create a CA and certificates for development (needs openssl on the PATH)')
    .addOption(new Option('--home <dir>', 'server home directory')
      .default(env['QUIVER_HOME'] ?? env['NEO4J_HOME'] ?? '.'))
    .option('--hostname <name>', 'host name or IP the certificates are for (repeatable)',
      collect, [])
    .option('--days <n>', 'days the certificates are valid', '365')
    .option('--scope <scope>', 'bolt, https, cluster or backup (repeatable; default all)',
      collect, [])
    .action((opts: CreateOptions) => {
      const days = Number(opts.days);
      const scopes = parseScopes(opts.scope);
      if (!Number.isInteger(days) || days < 1 || days > DAYS_MAX || typeof scopes === 'string') {
        output.stderr(`command failed: ${typeof scopes === 'string' ? scopes
          : `--days must be a whole number from 1 to ${DAYS_MAX}`}\n`);
        return setExitCode(1);
      }
      const config = loadServerConfig({ home: opts.home, argv: [], env, ...output });
      if (config === null) return setExitCode(1);
      const hostnames = opts.hostname.length > 0 ? opts.hostname : ['localhost', '127.0.0.1'];
      try {
        const set = createCertificateSet({ certificatesDir: config.directories.certificates,
          scopes, hostnames, validDays: days });
        output.stdout(`Created a development CA at ${set.caCertificate} and certificates for ` +
          `${scopes.join(', ')}.\nTo use them, add to quiver.conf:\n${settingsHint(scopes)}\n`);
        return setExitCode(0);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        output.stderr(`command failed: ${reason}\n`);
        return setExitCode(1);
      }
    });
  return new Command('certificates').description('TLS certificates').addCommand(create);
}
