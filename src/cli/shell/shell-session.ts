/**
 * One cypher-shell session over the official driver: runs statements (auto-commit, or inside
 * `:begin` … `:commit`), keeps parameters, and carries out the shell commands. Output and
 * errors go through the two writers; a failed statement throws so the runner decides whether
 * to stop (non-interactive) or carry on (interactive).
 */
import fs from 'node:fs';
import neo4j, { type Driver, type Result, type Session, type Transaction } from 'neo4j-driver';
import { evaluateLiteral, parseParamArgument } from './cypher-literal.js';
import { formatResult, type OutputFormat, type ShellResult } from './result-format.js';
import { canonicalCommand, helpText } from './shell-commands.js';
import { splitStatements, type ShellInput } from './statement-splitter.js';
import { formatValue } from './value-format.js';

/** The shell buffers a result to lay it out; past this it refuses rather than exhaust memory. */
export const RESULT_ROWS_MAX = 1_000_000;
const HISTORY_SHOWN_MAX = 16;
const SOURCE_FILE_BYTES_MAX = 64 * 1024 * 1024;

export class ShellError extends Error {
  override name = 'ShellError';
}

export interface ShellSessionOptions {
  readonly driver: Driver;
  readonly database: string | null;
  readonly format: OutputFormat;
  readonly out: (text: string) => void;
}

interface Parameter {
  readonly expression: string;
  readonly value: unknown;
}

export type Outcome = 'continue' | 'exit';

export class ShellSession {
  readonly history: string[] = [];
  private readonly params = new Map<string, Parameter>();
  private database: string | null;
  private session: Session;
  private transaction: Transaction | null = null;

  constructor(private readonly options: ShellSessionOptions) {
    this.database = options.database;
    this.session = this.openSession();
  }

  get inTransaction(): boolean {
    return this.transaction !== null;
  }

  get databaseName(): string {
    return this.database ?? 'neo4j';
  }

  async close(): Promise<void> {
    if (this.transaction !== null) await this.transaction.rollback().catch(() => undefined);
    await this.session.close();
  }

  async execute(input: ShellInput): Promise<Outcome> {
    if (input.kind === 'cypher') {
      await this.runCypher(input.text);
      return 'continue';
    }
    return this.runCommand(canonicalCommand(input.name), input.argument);
  }

  async setParam(argument: string): Promise<void> {
    const parsed = parseParamArgument(argument);
    if (parsed === null) throw new ShellError('Incorrect usage.\nusage: :param name => expression');
    const local = evaluateLiteral(parsed.expression);
    const value = local.ok ? local.value : await this.evaluateOnServer(parsed);
    this.params.set(parsed.name, { expression: parsed.expression, value });
  }

  private openSession(): Session {
    return this.options.driver.session({
      ...(this.database === null ? {} : { database: this.database }),
      defaultAccessMode: neo4j.session.WRITE,
    });
  }

  private paramObject(): Record<string, unknown> {
    return Object.fromEntries([...this.params].map(([name, param]) => [name, param.value]));
  }

  private async evaluateOnServer(parsed: { name: string; expression: string }): Promise<unknown> {
    try {
      const result = await this.session.run(`RETURN ${parsed.expression} AS \`result\``,
        this.paramObject());
      return result.records[0]?.get('result') ?? null;
    } catch {
      throw new ShellError(`Failed to evaluate parameter ${parsed.name}: ${parsed.expression}`);
    }
  }

  private async runCypher(text: string): Promise<void> {
    const runner = this.transaction ?? this.session;
    const result = await collectResult(runner.run(text, this.paramObject()));
    this.options.out(formatResult(result, this.options.format));
  }

  private async runCommand(name: string, argument: string): Promise<Outcome> {
    switch (name) {
      case ':exit': return 'exit';
      case ':help': this.options.out(helpText(argument)); break;
      case ':param': await this.paramCommand(argument); break;
      case ':params': this.listParams(argument); break;
      case ':begin': this.begin(); break;
      case ':commit': await this.finishTransaction('commit'); break;
      case ':rollback': await this.finishTransaction('rollback'); break;
      case ':history': this.showHistory(); break;
      case ':use': await this.use(argument); break;
      case ':source': return this.source(argument);
      default:
        throw new ShellError(`Could not find command ${name}, use :help to see available commands`);
    }
    return 'continue';
  }

  private async paramCommand(argument: string): Promise<void> {
    if (argument === 'clear') {
      this.params.clear();
      return;
    }
    if (argument !== '') {
      await this.setParam(argument);
      return;
    }
    const entries = [...this.params].map(([name, param]) =>
      `  ${formatName(name)}: ${formatValue(param.value)}`);
    this.options.out(entries.length === 0 ? '{}\n' : `{\n${entries.join(',\n')}\n}\n`);
  }

  private listParams(name: string): void {
    const names = name === '' ? [...this.params.keys()] : [name.replace(/^`|`$/g, '')];
    const width = Math.max(0, ...names.map((each) => formatName(each).length));
    for (const each of names) {
      const param = this.params.get(each);
      if (param === undefined) throw new ShellError(`Unknown parameter: ${each}`);
      this.options.out(`:param ${formatName(each).padEnd(width)} => ${param.expression}\n`);
    }
  }

  private begin(): void {
    if (this.transaction !== null) throw new ShellError('There is already an open transaction');
    this.transaction = this.session.beginTransaction();
  }

  private async finishTransaction(how: 'commit' | 'rollback'): Promise<void> {
    const transaction = this.transaction;
    if (transaction === null) throw new ShellError(`There is no open transaction to ${how}`);
    this.transaction = null;
    await (how === 'commit' ? transaction.commit() : transaction.rollback());
  }

  private showHistory(): void {
    const shown = this.history.slice(-HISTORY_SHOWN_MAX);
    const first = this.history.length - shown.length + 1;
    const width = String(this.history.length).length;
    shown.forEach((entry, i) => {
      this.options.out(` ${String(first + i).padEnd(width)}  ${entry}\n`);
    });
  }

  private async use(database: string): Promise<void> {
    if (this.transaction !== null) {
      throw new ShellError('There is an open transaction. You need to close it before you can ' +
        'switch database.');
    }
    await this.session.close();
    this.database = database === '' ? null : database.replace(/^`|`$/g, '');
    this.session = this.openSession();
  }

  private async source(file: string): Promise<Outcome> {
    let text: string;
    try {
      if (fs.statSync(file).size > SOURCE_FILE_BYTES_MAX) throw new Error('too large');
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new ShellError(`Cannot find file: '${file}'`);
    }
    for (const input of splitStatements(text)) {
      if (await this.execute(input) === 'exit') return 'exit';
    }
    return 'continue';
  }
}

function formatName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `\`${name.replace(/`/g, '``')}\``;
}

/** Buffers one result for layout; leaving the loop early discards the rest on the server. */
async function collectResult(result: Result): Promise<ShellResult> {
  const keys = (await result.keys()).map(String);
  const rows: unknown[][] = [];
  for await (const record of result) {
    if (rows.length >= RESULT_ROWS_MAX) {
      throw new ShellError(`The result has more than ${RESULT_ROWS_MAX} rows; add a LIMIT`);
    }
    rows.push(keys.map((key) => record.get(key)));
  }
  const summary = await result.summary();
  return {
    keys, rows,
    counters: summary.counters.updates(),
    availableAfterMs: Number(summary.resultAvailableAfter),
    consumedAfterMs: Number(summary.resultConsumedAfter),
  };
}
