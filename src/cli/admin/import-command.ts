/**
 * `quiver-admin import --nodes=[Label:…=]FILES… --relationships=[TYPE=]FILES…`: bulk import of
 * CSV files in Neo4j's header format into a new, stopped database (5.x flag names, with the 3.5
 * spellings `--nodes:Label=FILES`, `--ignore-missing-nodes` and `--ignore-duplicate-nodes`
 * accepted too). Bad entries go to the report file (`import.report` in the working folder
 * unless --report-file says otherwise), which is written even when empty.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { importCsv, type IdType, type ImportGroup } from '../../admin/import/csv-importer.js';
import { snapshotOf } from '../../admin/offline-store.js';
import { formatBytes } from '../../admin/progress-format.js';
import { installDatabase, refuseExisting } from '../../admin/store-install.js';
import { newStoreId } from '../../db/transaction.js';
import {
  CommandFailed, databaseDirectory, defaultHome, loadHomeConfig, parseBooleanFlag,
  refuseWhileRunning, runAdminAction, type AdminContext,
} from './admin-context.js';

interface ImportCommandOptions {
  readonly home: string;
  readonly database?: string;
  readonly nodes: ImportGroup[];
  readonly relationships: ImportGroup[];
  readonly delimiter: string;
  readonly arrayDelimiter: string;
  readonly quote: string;
  readonly idType: IdType;
  readonly skipBadRelationships?: boolean;
  readonly ignoreMissingNodes?: boolean;
  readonly skipDuplicateNodes?: boolean;
  readonly ignoreDuplicateNodes?: boolean;
  readonly badTolerance: number;
  readonly reportFile: string;
  readonly overwriteDestination?: boolean;
}

/** `--nodes:A:B=f` (3.5) becomes `--nodes=A:B=f`, the form commander and 5.x use. */
export function normalizeImportArguments(argv: readonly string[]): string[] {
  return argv.map((arg) => arg.replace(/^--(nodes|relationships):([^=]+)=/, '--$1=$2='));
}

/** `[A:B=]file1,file2`: labels or type before the first `=`, then comma-separated files. */
function parseGroup(value: string, previous: ImportGroup[]): ImportGroup[] {
  const equals = value.indexOf('=');
  const defaults = equals < 0 ? [] : value.slice(0, equals).split(':').filter((l) => l !== '');
  const files = value.slice(equals + 1).split(',').filter((f) => f !== '').map((f) => resolve(f));
  if (files.length === 0) throw new InvalidArgumentError(`no files in '${value}'`);
  return [...previous, { files, defaults }];
}

/** `,`, `TAB` or `\t`, `\44` (a character code) or `U+002C`. */
function parseCharacter(value: string): string {
  if (value === 'TAB' || value === '\\t') return '\t';
  const code = /^\\(\d+)$/.exec(value)?.[1] ?? /^U\+([0-9A-Fa-f]{4})$/.exec(value)?.[1];
  if (code !== undefined) {
    return String.fromCharCode(value.startsWith('U+') ? parseInt(code, 16) : Number(code));
  }
  if ([...value].length !== 1) throw new InvalidArgumentError(`'${value}' is not one character`);
  return value;
}

function parseIdType(value: string): IdType {
  const lower = value.toLowerCase();
  if (lower === 'string' || lower === 'integer' || lower === 'actual') return lower;
  throw new InvalidArgumentError(`'${value}' is not one of string, integer, actual`);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`'${value}' is not a count`);
  return Number(value);
}

function describeInput(dbDir: string, opts: ImportCommandOptions): string {
  const groups = (title: string, list: readonly ImportGroup[]): string[] => list.length === 0
    ? [] : [`${title}:`, ...list.flatMap((g) => [`  [${g.defaults.join(':')}]:`,
      ...g.files.map((f) => `  ${f}`), ''])];
  return [`Importing the contents of these files into ${dbDir}:`,
    ...groups('Nodes', opts.nodes), ...groups('Relationships', opts.relationships)].join('\n');
}

async function runImport(context: AdminContext, opts: ImportCommandOptions): Promise<number> {
  const config = loadHomeConfig(context, opts.home);
  const dbDir = databaseDirectory(config, opts.database ?? config.defaultDatabase);
  if (opts.nodes.length === 0) {
    throw new CommandFailed(opts.relationships.length === 0
      ? 'No input specified, nothing to import'
      : 'No node input specified, cannot import relationships without nodes');
  }
  refuseWhileRunning(config);
  await refuseExisting(dbDir, opts.overwriteDestination === true);
  const say = (line: string): void => context.output.stdout(`${line}\n`);
  say(describeInput(dbDir, opts));
  const started = Date.now();
  const reportPath = resolve(opts.reportFile);
  const report = openSync(reportPath, 'w');
  let result;
  try {
    result = await importCsv({ ...opts, progress: say,
      skipBadRelationships: opts.skipBadRelationships === true || opts.ignoreMissingNodes === true,
      skipDuplicateNodes: opts.skipDuplicateNodes === true || opts.ignoreDuplicateNodes === true,
      report: (line) => writeSync(report, `${line}\n`) });
  } finally {
    closeSync(report);
  }
  const { store } = result;
  await installDatabase({ dbDir, index: store.version, term: 1, storeId: newStoreId(),
    force: opts.overwriteDestination === true,
    snapshot: snapshotOf({ store, system: [], index: store.version, term: 1, storeId: null }) });
  say(`\nIMPORT DONE in ${Date.now() - started}ms. \nImported:\n  ${result.nodes} nodes\n` +
    `  ${result.relationships} relationships\n  ${result.properties} properties\n` +
    `Peak memory usage: ${formatBytes(process.memoryUsage().rss)}`);
  if (result.badEntries > 0) {
    say(`There were bad entries which were skipped and logged into ${reportPath}`);
  }
  return 0;
}

export function importCommand(context: AdminContext): Command {
  const flag = (name: string, text: string) => [name, text, parseBooleanFlag] as const;
  return new Command('import').description('import CSV files into a new, stopped database')
    .option('--nodes <[labels=]files>', 'node file group (repeatable)', parseGroup, [])
    .option('--relationships <[type=]files>', 'relationship file group (repeatable)', parseGroup,
      [])
    .option('--delimiter <char>', 'field delimiter', parseCharacter, ',')
    .option('--array-delimiter <char>', 'delimiter inside arrays and :LABEL', parseCharacter, ';')
    .option('--quote <char>', 'quote character', parseCharacter, '"')
    .option('--id-type <type>', 'string, integer or actual', parseIdType, 'string' as IdType)
    .option(...flag('--skip-bad-relationships [bool]', 'skip relationships to missing nodes'))
    .option(...flag('--ignore-missing-nodes [bool]', '3.5 name of --skip-bad-relationships'))
    .option(...flag('--skip-duplicate-nodes [bool]', 'skip nodes whose id was seen before'))
    .option(...flag('--ignore-duplicate-nodes [bool]', '3.5 name of --skip-duplicate-nodes'))
    .option('--bad-tolerance <n>', 'bad entries allowed before the import fails', parseCount, 1000)
    .option('--report-file <file>', 'where bad entries are written', 'import.report')
    .option('--database <name>', 'database to create (default: the default database)')
    .option(...flag('--overwrite-destination [bool]', 'replace an existing database'))
    .option('--home <dir>', 'server home directory', defaultHome(context.env))
    .action((opts: ImportCommandOptions) =>
      runAdminAction(context, () => runImport(context, opts)));
}
